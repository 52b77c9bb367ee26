namespace Concord.Storage.Sqlite;

public sealed partial class SqliteHubStore
{
    public async Task<string?> GetConnectorStateAsync(string system, string key, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM connector_state WHERE system = $system AND key = $key";
        Bind(command, "$system", system);
        Bind(command, "$key", key);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public Task SetConnectorStateAsync(string system, string key, string value, CancellationToken cancellationToken) =>
        WriteAsync(w =>
        {
            PutState(w, system, key, value);
            return true;
        }, cancellationToken);

    public Task<string?> GetCursorAsync(string system, string stream, CancellationToken cancellationToken) =>
        GetConnectorStateAsync(system, CursorKey(stream), cancellationToken);

    private static string CursorKey(string stream) => "cursor:" + stream;

    private void PutState(SqliteWriter w, string system, string key, string value)
    {
        var put = w.Command("""
            INSERT INTO connector_state(system, key, value, updated_at) VALUES ($system, $key, $value, $at)
            ON CONFLICT(system, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """);
        Bind(put, "$system", system);
        Bind(put, "$key", key);
        Bind(put, "$value", value);
        Bind(put, "$at", Ms(_time.GetUtcNow()));
        put.ExecuteNonQuery();
    }
}
