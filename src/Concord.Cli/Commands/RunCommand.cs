using System.CommandLine;
using Concord.Server;

namespace Concord.Cli.Commands;

/// <summary><c>concord run</c>: the hub (HTTP server and workers) until Ctrl+C.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var listen = new Option<string?>("--listen") { Description = "Override hub.listen, e.g. http://127.0.0.1:5080" };
        var data = new Option<string?>("--data") { Description = "Override hub.data (the SQLite file)" };
        var command = new Command("run", "Run the hub: webhooks, API and delivery workers") { config, listen, data };
        command.SetAction(async (result, ct) =>
        {
            var file = result.GetValue(config)!;
            var loaded = CommonOptions.LoadOrReport(file, checkEnvironment: true, Console.Error);
            if (loaded is null)
            {
                return 1;
            }

            await using var hub = await HubServer.StartAsync(new HubServerOptions
            {
                Config = loaded,
                ConfigPath = file.FullName,
                BaseDirectory = file.DirectoryName!,
                Listen = result.GetValue(listen),
                DataPath = result.GetValue(data),
            }, ct);
            Console.WriteLine($"Concord is listening on {hub.Url} (data: {hub.Store.Path}). Ctrl+C stops it.");
            Console.WriteLine((await hub.Store.ListUsersAsync(ct)).Count == 0
                ? $"Dashboard: {hub.Url}/dashboard (no users yet: add one with `concord users add NAME --role admin`)"
                : $"Dashboard: {hub.Url}/dashboard");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine("Stopping…");
            }

            return 0;
        });
        return command;
    }
}
