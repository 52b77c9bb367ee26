using System.CommandLine;
using Concord.Core.Configuration;
using Concord.Server;

namespace Concord.Cli.Commands;

/// <summary>Options shared by the commands that read <c>concord.yaml</c>.</summary>
internal static class CommonOptions
{
    public static Option<FileInfo> Config() => new("--config", "-c")
    {
        Description = "The configuration file",
        DefaultValueFactory = _ => new FileInfo("concord.yaml"),
    };

    /// <summary>Loads and validates; prints every problem; null when there are errors.</summary>
    public static HubConfig? LoadOrReport(FileInfo file, bool checkEnvironment, TextWriter output)
    {
        if (!file.Exists)
        {
            output.WriteLine($"{file.Name}: no such file. Run `concord init` for a starter configuration.");
            return null;
        }

        var (config, problems) = HubServer.LoadConfig(file.FullName, checkEnvironment ? Environment.GetEnvironmentVariable : null);
        var shown = checkEnvironment ? problems : problems.Where(p => p.Code != "secret-unset").ToList();
        foreach (var p in shown)
        {
            output.WriteLine(p);
        }

        var errors = shown.Count(p => p.Severity == ProblemSeverity.Error);
        if (errors > 0)
        {
            output.WriteLine($"{errors} error(s) in {file.Name}");
            return null;
        }

        return config;
    }
}
