using Concord.Engine.Storage;

namespace Concord.Storage.Sqlite;

public sealed partial class SqliteHubStore
{
    public async Task<IReadOnlyList<Finding>> QueryFindingsAsync(FindingQuery query, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, kind, severity, type, record_id, other_record_id, system, message, raised_at, resolved_at, rule FROM findings
            WHERE ($kind IS NULL OR kind = $kind) AND ($type IS NULL OR type = $type)
              AND ($r IS NULL OR record_id = $r OR other_record_id = $r) AND ($open = 0 OR resolved_at IS NULL)
            ORDER BY raised_at DESC, id DESC LIMIT $limit
            """;
        Bind(command, "$kind", query.Kind);
        Bind(command, "$type", query.Type);
        Bind(command, "$r", query.RecordId);
        Bind(command, "$open", query.OpenOnly ? 1 : 0);
        Bind(command, "$limit", Math.Clamp(query.Limit, 1, 1000));
        var result = new List<Finding>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(ReadFinding(reader));
        }

        return result;
    }

    internal static Finding ReadFinding(System.Data.Common.DbDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7),
        FromMs(reader.GetInt64(8)), reader.IsDBNull(9) ? null : FromMs(reader.GetInt64(9)), reader.IsDBNull(10) ? null : reader.GetString(10));
}
