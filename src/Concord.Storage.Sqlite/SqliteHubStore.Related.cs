using System.Text.Json;
using Concord.Core.Records;

namespace Concord.Storage.Sqlite;

public sealed partial class SqliteHubStore
{
    /// <summary>
    /// Reference fields hold the hub's record id, which is unique, so any field equal to it is a
    /// reference. This reads every live record's fields: fine for a small business's store, and
    /// the place for an index of references when stores grow.
    /// </summary>
    /// <summary>The test that record <c>r</c> has a field whose golden value is <c>$id</c>; shared with the pipeline's look-up.</summary>
    internal const string References = "EXISTS (SELECT 1 FROM json_each(r.doc, '$.fields') f WHERE json_extract(f.value, '$.value') = $id)";

    public async Task<IReadOnlyList<GoldenRecord>> FindReferencingAsync(string recordId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT r.doc FROM records r WHERE r.deleted = 0 AND r.id <> $id AND {References} ORDER BY r.type, r.updated_at DESC LIMIT $limit";
        Bind(command, "$id", recordId);
        Bind(command, "$limit", Math.Clamp(limit, 1, 1000));
        var result = new List<GoldenRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(JsonSerializer.Deserialize<GoldenRecord>(reader.GetString(0), Json)!);
        }

        return result;
    }
}
