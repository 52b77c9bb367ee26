using System.CommandLine;

namespace Concord.Cli.Commands;

/// <summary><c>concord validate</c>: every problem in the configuration, with file:line:column and a hint.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var env = new Option<bool>("--check-env") { Description = "Also check that every referenced secret is set in the environment" };
        var command = new Command("validate", "Check concord.yaml and report every problem at once") { config, env };
        command.SetAction(result =>
        {
            var file = result.GetValue(config)!;
            var loaded = CommonOptions.LoadOrReport(file, result.GetValue(env), Console.Out);
            if (loaded is null)
            {
                return 1;
            }

            Console.WriteLine($"{file.Name} is valid: {loaded.Systems.Count} systems, {loaded.Entities.Count} entity types, {loaded.Syncs.Count} sync rules, {loaded.Flows.Count} flows.");
            return 0;
        });
        return command;
    }
}
