using System.CommandLine;
using Concord.Cli.Commands;

var root = new RootCommand("Concord: one source of truth per data type, every other tool kept current.");
root.Subcommands.Add(InitCommand.Create());
root.Subcommands.Add(ValidateCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(KeysCommand.Create());
root.Subcommands.Add(ReplayCommand.Create());
root.Subcommands.Add(SystemsCommand.Create());
root.Subcommands.Add(DedupeCommand.Create());
root.Subcommands.Add(ReconcileCommand.Create());
root.Subcommands.Add(ReportCommand.Create());
root.Subcommands.Add(FlowCommand.Create());
root.Subcommands.Add(AuditCommand.Create());
root.Subcommands.Add(HealthCommand.Create());
return await root.Parse(args).InvokeAsync();
