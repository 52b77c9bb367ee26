using System.CommandLine;
using Concord.Connectors;
using Concord.Core.Configuration;
using Concord.Core.Sync;
using Concord.Engine.Connectors;
using Concord.Engine.Intake;
using Concord.Server;
using Concord.Storage.Sqlite;

namespace Concord.Cli.Commands;

/// <summary><c>concord systems list|verify</c>: what each configured system is, and whether its credentials work.</summary>
internal static class SystemsCommand
{
    public static Command Create() => new("systems", "Inspect the configured systems") { List(), Verify() };

    private static Command List()
    {
        var config = CommonOptions.Config();
        var command = new Command("list", "Each system: its connector, the vendor API version it pins, and what it syncs") { config };
        command.SetAction(result =>
        {
            var loaded = CommonOptions.LoadOrReport(result.GetValue(config)!, checkEnvironment: false, Console.Error);
            if (loaded is null)
            {
                return 1;
            }

            var catalog = new ConnectorCatalog();
            foreach (var system in loaded.Systems.Values)
            {
                var descriptor = catalog.Find(system.Kind)!;
                var syncs = loaded.Syncs.Where(s => s.System == system.Name).Select(s => $"{s.Type} ({s.Direction.ToString().ToLowerInvariant()})");
                Console.WriteLine($"{system.Name} — {descriptor.Kind}{(descriptor.ApiVersion is { } v ? $", API {v}" : "")}: {string.Join(", ", syncs)}");
            }

            return 0;
        });
        return command;
    }

    private static Command Verify()
    {
        var config = CommonOptions.Config();
        var name = new Argument<string?>("system") { Description = "The system to check (default: every system)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("verify", "Make one cheap authenticated call to each system; a failure names the setting to fix") { config, name };
        command.SetAction(async (result, ct) =>
        {
            var file = result.GetValue(config)!;
            var loaded = CommonOptions.LoadOrReport(file, checkEnvironment: true, Console.Error);
            if (loaded is null)
            {
                return 1;
            }

            var only = result.GetValue(name);
            if (only is not null && !loaded.Systems.ContainsKey(only))
            {
                Console.Error.WriteLine($"No system named '{only}'. Systems: {string.Join(", ", loaded.Systems.Keys)}");
                return 1;
            }

            var path = Path.IsPathRooted(loaded.Hub.Data) ? loaded.Hub.Data : Path.Combine(file.DirectoryName!, loaded.Hub.Data);
            await using var store = new SqliteHubStore(path);
            await store.InitializeAsync(ct);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            http.DefaultRequestHeaders.UserAgent.ParseAdd("Concord/1.0");
            var context = new ConnectorContext
            {
                Http = http,
                Time = TimeProvider.System,
                Intake = new ChangeIntake(new SyncPlan(loaded), TimeProvider.System),
                Links = new StoreLinkLookup(store),
                Credentials = new ProtectedCredentialStore(store, CredentialKey.Load(path, null)),
            };

            var failed = 0;
            var catalog = new ConnectorCatalog();
            foreach (var system in loaded.Systems.Values.Where(s => only is null || s.Name == only))
            {
                var verdict = await VerifyOneAsync(catalog, system, context, ct);
                Console.WriteLine($"{system.Name} ({system.Kind}): {(verdict.Ok ? "ok" : "FAILED")} — {verdict.Message}"
                    + (verdict.Setting is { } s ? $" (check systems.{system.Name}.settings.{s})" : ""));
                failed += verdict.Ok ? 0 : 1;
            }

            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    private static async Task<VerifyResult> VerifyOneAsync(ConnectorCatalog catalog, SystemConfig system, ConnectorContext context, CancellationToken ct)
    {
        try
        {
            var parts = catalog.Create(system, context);
            if (parts.Verifier is null)
            {
                return VerifyResult.Success("nothing to call: this kind has no account to check (webhook secrets are checked on each webhook)");
            }

            return await parts.Verifier.VerifyAsync(ct);
        }
        catch (InvalidOperationException ex)
        {
            return VerifyResult.Failure(ex.Message);
        }
        catch (HttpRequestException ex)
        {
            return VerifyResult.Failure($"cannot reach the system: {ex.Message}", "base_url");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return VerifyResult.Failure("no answer within 20 s", "base_url");
        }
    }
}
