using Concord.Engine.Storage;

namespace Concord.Storage.Sqlite;

/// <summary>Learned payload shapes: one row per (system, type), written by the shape learner when it changed.</summary>
public sealed partial class SqliteHubStore
{
    public async Task<IReadOnlyList<StoredShape>> GetShapesAsync(CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var c = connection.CreateCommand();
        c.CommandText = "SELECT system, type, doc, updated_at FROM schema_shapes ORDER BY system, type";
        await using var r = await c.ExecuteReaderAsync(cancellationToken);
        var shapes = new List<StoredShape>();
        while (await r.ReadAsync(cancellationToken))
        {
            shapes.Add(new StoredShape(r.GetString(0), r.GetString(1), r.GetString(2), FromMs(r.GetInt64(3))));
        }

        return shapes;
    }

    public Task SaveShapesAsync(IReadOnlyList<StoredShape> shapes, CancellationToken cancellationToken) =>
        WriteAsync(w =>
        {
            foreach (var shape in shapes)
            {
                var c = w.Command("""
                    INSERT INTO schema_shapes(system, type, doc, updated_at) VALUES ($system, $type, $doc, $at)
                    ON CONFLICT(system, type) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at
                    """);
                Bind(c, "$system", shape.System);
                Bind(c, "$type", shape.Type);
                Bind(c, "$doc", shape.Document);
                Bind(c, "$at", Ms(shape.UpdatedAt));
                c.ExecuteNonQuery();
            }

            return true;
        }, cancellationToken);
}
