using System.CommandLine;
using Concord.Server.Auth;
using Concord.Storage.Sqlite;

namespace Concord.Cli.Commands;

/// <summary><c>concord keys create</c>: a new API key, shown once.</summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var name = new Option<string>("--name") { Description = "What the key is for, e.g. the script that uses it", Required = true };
        var create = new Command("create", "Create an API key (shown once; only its hash is stored)") { config, name };
        create.SetAction(async (result, ct) =>
        {
            var file = result.GetValue(config)!;
            var loaded = CommonOptions.LoadOrReport(file, checkEnvironment: false, Console.Error);
            if (loaded is null)
            {
                return 1;
            }

            var path = Path.IsPathRooted(loaded.Hub.Data) ? loaded.Hub.Data : Path.Combine(file.DirectoryName!, loaded.Hub.Data);
            await using var store = new SqliteHubStore(path);
            await store.InitializeAsync(ct);
            var (key, secret) = await new ApiKeys(store, TimeProvider.System).CreateAsync(result.GetValue(name)!, ct);
            Console.WriteLine($"Created API key {key.Id} ({key.Name}). It is shown only now:");
            Console.WriteLine(secret);
            Console.WriteLine("Use it as: Authorization: Bearer <key>");
            return 0;
        });
        return new Command("keys", "Manage API keys") { create };
    }
}
