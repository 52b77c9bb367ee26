using System.CommandLine;
using Concord.Cli.Demo;

namespace Concord.Cli.Commands;

/// <summary><c>concord demo</c>: the hub with three sandbox systems and a short story.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var exit = new Option<bool>("--exit") { Description = "Stop after the story (for scripts and CI)" };
        var port = new Option<int>("--port") { Description = "The hub's port", DefaultValueFactory = _ => 5080 };
        var command = new Command("demo", "Start the hub with a CRM, billing and accounting sandbox, and play a short story") { exit, port };
        command.SetAction(async (result, ct) =>
        {
            var story = new DemoStory(Console.Out, result.GetValue(port));
            return await story.RunAsync(result.GetValue(exit), ct);
        });
        return command;
    }
}
