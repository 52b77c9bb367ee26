using Concord.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace Concord.Storage.Sqlite;

public sealed partial class SqliteHubStore
{
    public Task<bool> CreateUserAsync(UserAccount user, CancellationToken cancellationToken) =>
        WriteAsync(w =>
        {
            // The name column is unique without case, so "Ann" and "ann" cannot both sign in.
            var c = w.Command("INSERT INTO users(id, name, role, password_hash, created_at) VALUES ($id, $name, $role, $hash, $at) ON CONFLICT(name) DO NOTHING");
            Bind(c, "$id", user.Id);
            Bind(c, "$name", user.Name);
            Bind(c, "$role", (int)user.Role);
            Bind(c, "$hash", user.PasswordHash);
            Bind(c, "$at", Ms(user.CreatedAt));
            return c.ExecuteNonQuery() == 1;
        }, cancellationToken);

    public async Task<UserAccount?> FindUserAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, role, password_hash, created_at FROM users WHERE name = $name";
        Bind(command, "$name", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadUser(reader) : null;
    }

    public async Task<IReadOnlyList<UserAccount>> ListUsersAsync(CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, role, password_hash, created_at FROM users ORDER BY name";
        var result = new List<UserAccount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(ReadUser(reader));
        }

        return result;
    }

    public Task<bool> SetUserPasswordAsync(string name, string passwordHash, CancellationToken cancellationToken) =>
        WriteAsync(w =>
        {
            var c = w.Command("UPDATE users SET password_hash = $hash WHERE name = $name");
            Bind(c, "$hash", passwordHash);
            Bind(c, "$name", name);
            return c.ExecuteNonQuery() == 1;
        }, cancellationToken);

    private static UserAccount ReadUser(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), (UserRole)r.GetInt32(2), r.GetString(3), FromMs(r.GetInt64(4)));
}
