using System.CommandLine;
using Concord.Server.Auth;
using Concord.Storage.Sqlite;

namespace Concord.Cli.Commands;

/// <summary><c>concord keys create</c>: a new API key, shown once.</summary>
internal static class KeysCommand
{
    public static Command Create() => new("keys", "Manage API keys") { CreateKey(), ListKeys(), RevokeKey() };

    private static Command CreateKey()
    {
        var config = CommonOptions.Config();
        var name = new Option<string>("--name") { Description = "What the key is for, e.g. the script that uses it", Required = true };
        var command = new Command("create", "Create an API key (shown once; only its hash is stored)") { config, name };
        command.SetAction(async (result, ct) =>
        {
            await using var store = await OpenAsync(result.GetValue(config)!, ct);
            if (store is null)
            {
                return 1;
            }

            var (key, secret) = await new ApiKeys(store, TimeProvider.System).CreateAsync(result.GetValue(name)!, ct);
            Console.WriteLine($"Created API key {key.Id} ({key.Name}). It is shown only now:");
            Console.WriteLine(secret);
            Console.WriteLine("Use it as: Authorization: Bearer <key>");
            return 0;
        });
        return command;
    }

    private static Command ListKeys()
    {
        var config = CommonOptions.Config();
        var command = new Command("list", "List API keys (ids, names, when created or revoked; never the keys)") { config };
        command.SetAction(async (result, ct) =>
        {
            await using var store = await OpenAsync(result.GetValue(config)!, ct);
            if (store is null)
            {
                return 1;
            }

            var keys = await store.ListApiKeysAsync(ct);
            Console.WriteLine(keys.Count == 0 ? "No API keys. Create one with `concord keys create --name NAME`." : $"{"ID",-38} {"NAME",-20} {"CREATED (UTC)",-17} REVOKED (UTC)");
            foreach (var k in keys)
            {
                Console.WriteLine($"{k.Id,-38} {k.Name,-20} {k.CreatedAt:yyyy-MM-dd HH:mm} {(k.RevokedAt is { } r ? r.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) : "")}");
            }

            return 0;
        });
        return command;
    }

    private static Command RevokeKey()
    {
        var config = CommonOptions.Config();
        var id = new Argument<string>("id") { Description = "The key's id (from `concord keys list`)" };
        var command = new Command("revoke", "Revoke an API key; a running hub refuses it within 30 seconds") { config, id };
        command.SetAction(async (result, ct) =>
        {
            await using var store = await OpenAsync(result.GetValue(config)!, ct);
            if (store is null)
            {
                return 1;
            }

            var keyId = result.GetValue(id)!;
            if (!await new ApiKeys(store, TimeProvider.System).RevokeAsync(keyId, ct))
            {
                Console.Error.WriteLine($"No active API key with id {keyId}.");
                return 1;
            }

            Console.WriteLine($"Revoked {keyId}.");
            return 0;
        });
        return command;
    }

    /// <summary>Opens the store a configuration file names (creating or migrating it); null, with the problems reported, when the file is invalid.</summary>
    internal static async Task<SqliteHubStore?> OpenAsync(FileInfo file, CancellationToken ct)
    {
        var loaded = CommonOptions.LoadOrReport(file, checkEnvironment: false, Console.Error);
        if (loaded is null)
        {
            return null;
        }

        var path = Path.IsPathRooted(loaded.Hub.Data) ? loaded.Hub.Data : Path.Combine(file.DirectoryName!, loaded.Hub.Data);
        var store = new SqliteHubStore(path);
        await store.InitializeAsync(ct);
        return store;
    }
}
