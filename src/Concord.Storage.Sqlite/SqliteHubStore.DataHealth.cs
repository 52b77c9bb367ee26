using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Concord.Core.Configuration;
using Concord.Core.Records;
using Concord.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace Concord.Storage.Sqlite;

public sealed partial class SqliteHubStore
{
    /// <summary>Bits per mask column: an SQLite integer is 64-bit signed, and a shift into the sign bit would read negative.</summary>
    private const int BitsPerMask = 62;

    /// <summary>An empty JSON object as SQL text, as json_extract returns it.</summary>
    private const string EmptyObject = "'{}'";

    /// <summary>
    /// One pass over the type's records. Each record is reduced to a few bit masks (a bit per missing
    /// required field, per system it is expected in and per system it is missing from, per empty and per
    /// dangling reference) plus how many systems it is linked in; the database groups records by those
    /// values and returns one row per distinct combination, usually a handful. The sums are taken here.
    /// </summary>
    public async Task<TypeHealthFigures> MeasureTypeAsync(TypeHealthSpec spec, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();

        // The pass looks up links and referenced records at random: a larger cache and memory-mapped
        // reads for this one query, then the pooled connection goes back as it was.
        Pragma(connection, "temp_store=MEMORY");
        Pragma(connection, "cache_size=-65536");
        Pragma(connection, "mmap_size=1073741824");
        try
        {
            return await MeasureTypeAsync(connection, spec, cancellationToken);
        }
        finally
        {
            Pragma(connection, "cache_size=-2000");
            Pragma(connection, "mmap_size=0");
        }
    }

    private static async Task<TypeHealthFigures> MeasureTypeAsync(SqliteConnection connection, TypeHealthSpec spec, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        var bits = new List<string>();
        var parameter = 0;
        string Param(object value)
        {
            var name = "$p" + parameter++.ToString(CultureInfo.InvariantCulture);
            Bind(command, name, value);
            return name;
        }

        var missing = new int[spec.RequiredFields.Count];
        for (var i = 0; i < spec.RequiredFields.Count; i++)
        {
            missing[i] = bits.Count;
            bits.Add($"COALESCE(trim(json_extract(r.doc, {Param(ValuePath(spec.RequiredFields[i]))})), '') = ''");
        }

        var expected = new int[spec.Systems.Count];
        var notLinked = new int[spec.Systems.Count];
        for (var j = 0; j < spec.Systems.Count; j++)
        {
            var system = spec.Systems[j];
            var matches = system.Filter.Count == 0 ? "1" : string.Join(" AND ", system.Filter.Select(c => "(" + FilterSql(c, Param) + ")"));
            expected[j] = bits.Count;
            bits.Add(matches);
            notLinked[j] = bits.Count;
            bits.Add($"({matches}) AND NOT EXISTS(SELECT 1 FROM links l WHERE l.record_id = r.id AND l.system = {Param(system.System)})");
        }

        var empty = new int[spec.References.Count];
        var dangling = new int[spec.References.Count];
        for (var k = 0; k < spec.References.Count; k++)
        {
            var path = Param(ValuePath(spec.References[k].Field));
            empty[k] = bits.Count;
            bits.Add($"COALESCE(json_extract(r.doc, {path}), '') = ''");
            dangling[k] = bits.Count;

            // A record that nothing was ever said about (no golden value, no observation) is the empty
            // record the hub creates for a reference to an id it has not seen: it points at nothing yet.
            bits.Add($"""
                COALESCE(json_extract(r.doc, {path}), '') <> '' AND NOT EXISTS(SELECT 1 FROM records t WHERE t.id = json_extract(r.doc, {path})
                    AND t.type = {Param(spec.References[k].RefersTo)} AND t.deleted = 0 AND (t.version > 0 OR COALESCE(json_extract(t.doc, '$.observations'), {EmptyObject}) <> {EmptyObject}))
                """);
        }

        var masks = new List<string>();
        for (var start = 0; start < bits.Count; start += BitsPerMask)
        {
            var part = bits.Skip(start).Take(BitsPerMask).Select((b, i) => $"(CASE WHEN {b} THEN {1L << i} ELSE 0 END)");
            masks.Add(string.Join(" | ", part));
        }

        if (masks.Count == 0)
        {
            masks.Add("0");
        }

        var columns = string.Join(", ", masks.Select((m, i) => $"{m} AS m{i}"));
        var names = string.Join(", ", masks.Select((_, i) => $"m{i}"));
        command.CommandText = $"""
            SELECT {names}, sources, COUNT(*) FROM (
                SELECT {columns}, MIN((SELECT COUNT(DISTINCT l.system) FROM links l WHERE l.record_id = r.id), 2) AS sources
                FROM records r WHERE r.type = {Param(spec.Type)} AND r.deleted = 0)
            GROUP BY {names}, sources
            """;

        long records = 0, complete = 0, connected = 0, both = 0, single = 0, unlinked = 0;
        var missingBy = new long[missing.Length];
        var expectedBy = new long[expected.Length];
        var notLinkedBy = new long[notLinked.Length];
        var emptyBy = new long[empty.Length];
        var danglingBy = new long[dangling.Length];
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = new long[masks.Count];
                for (var i = 0; i < masks.Count; i++)
                {
                    row[i] = reader.GetInt64(i);
                }

                bool Bit(int index) => (row[index / BitsPerMask] & (1L << (index % BitsPerMask))) != 0;
                var sources = reader.GetInt64(masks.Count);
                var n = reader.GetInt64(masks.Count + 1);
                records += n;
                single += sources == 1 ? n : 0;
                unlinked += sources == 0 ? n : 0;
                var isComplete = true;
                for (var i = 0; i < missing.Length; i++)
                {
                    if (Bit(missing[i]))
                    {
                        missingBy[i] += n;
                        isComplete = false;
                    }
                }

                var isConnected = true;
                for (var j = 0; j < expected.Length; j++)
                {
                    expectedBy[j] += Bit(expected[j]) ? n : 0;
                    if (Bit(notLinked[j]))
                    {
                        notLinkedBy[j] += n;
                        isConnected = false;
                    }
                }

                for (var k = 0; k < empty.Length; k++)
                {
                    emptyBy[k] += Bit(empty[k]) ? n : 0;
                    danglingBy[k] += Bit(dangling[k]) ? n : 0;
                }

                complete += isComplete ? n : 0;
                connected += isConnected ? n : 0;
                both += isComplete && isConnected ? n : 0;
            }
        }

        return new TypeHealthFigures
        {
            Type = spec.Type,
            Records = records,
            Complete = complete,
            Connected = connected,
            CompleteAndConnected = both,
            SingleSource = single,
            Unlinked = unlinked,
            MissingByField = Sums(spec.RequiredFields, missingBy),
            ExpectedBySystem = Sums(spec.Systems.Select(s => s.System).ToList(), expectedBy),
            NotLinkedBySystem = Sums(spec.Systems.Select(s => s.System).ToList(), notLinkedBy),
            ReferenceEmpty = Sums(spec.References.Select(r => r.Field).ToList(), emptyBy),
            ReferenceDangling = Sums(spec.References.Select(r => r.Field).ToList(), danglingBy),
        };
    }

    private static Dictionary<string, long> Sums(IReadOnlyList<string> keys, long[] counts)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Count; i++)
        {
            result[keys[i]] = result.GetValueOrDefault(keys[i]) + counts[i];
        }

        return result;
    }

    /// <summary>The JSON path of a field's golden value in a record document.</summary>
    private static string ValuePath(string field) => "$.fields.\"" + field.Replace("\"", "", StringComparison.Ordinal) + "\".value";

    /// <summary>
    /// A sync filter condition in SQL, reading the value as <see cref="FilterCondition.Matches"/> does (booleans as
    /// <c>true</c>/<c>false</c>, empty as absent); values compare without regard to ASCII case.
    /// </summary>
    private static string FilterSql(FilterCondition condition, Func<object, string> param)
    {
        var path = param(ValuePath(condition.Field));
        var text = $"(CASE json_type(r.doc, {path}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' WHEN 'null' THEN NULL ELSE CAST(json_extract(r.doc, {path}) AS TEXT) END)";
        var present = $"COALESCE({text}, '') <> ''";
        var values = condition.Values.Count == 0 ? "NULL" : string.Join(", ", condition.Values.Select(v => param(v.ToLowerInvariant())));
        return condition.Operator switch
        {
            FilterOperator.Exists => condition.MustExist ? present : $"NOT ({present})",
            FilterOperator.In => $"{present} AND lower({text}) IN ({values})",
            FilterOperator.NotIn => $"NOT ({present}) OR lower({text}) NOT IN ({values})",
            _ => "0",
        };
    }

    public async IAsyncEnumerable<GoldenRecord> ReadConflictedRecordsAsync(string type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT doc FROM records WHERE type = $type AND deleted = 0 AND conflicts > 0";
        Bind(command, "$type", type);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return JsonSerializer.Deserialize<GoldenRecord>(reader.GetString(0), Json)!;
        }
    }

    public async Task<IReadOnlyList<DuplicateFigures>> GetDuplicateFiguresAsync(CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT type, SUM(suspected), SUM(merged), SUM(merges), SUM(unmerges) FROM (
                SELECT type, COUNT(*) AS suspected, 0 AS merged, 0 AS merges, 0 AS unmerges FROM findings
                WHERE resolved_at IS NULL AND kind IN ('possible-duplicate', 'duplicate-in-system') GROUP BY type
                UNION ALL
                SELECT type, 0, SUM(undone_at IS NULL), COUNT(*), SUM(undone_at IS NOT NULL) FROM merges GROUP BY type)
            GROUP BY type ORDER BY type
            """;
        var result = new List<DuplicateFigures>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new DuplicateFigures(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
        }

        return result;
    }

    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> GetLastAcceptedAsync(CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT system, MAX(received_at) FROM inbox GROUP BY system";
        var result = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result[reader.GetString(0)] = FromMs(reader.GetInt64(1));
        }

        return result;
    }

    public Task AddHealthSampleAsync(DateTimeOffset at, IReadOnlyList<HealthPoint> points, CancellationToken cancellationToken) =>
        WriteAsync(w =>
        {
            var sample = w.Command("INSERT INTO health_samples(at) VALUES ($at) RETURNING id");
            Bind(sample, "$at", Ms(at));
            var id = (long)sample.ExecuteScalar()!;
            foreach (var p in points)
            {
                // A point measured twice in one sample (it should not be) keeps the last value rather than failing the sample.
                var c = w.Command("INSERT OR REPLACE INTO health_points(sample_id, metric, type, system, field, value) VALUES ($s, $m, $t, $y, $f, $v)");
                Bind(c, "$s", id);
                Bind(c, "$m", p.Metric);
                Bind(c, "$t", p.Type ?? "");
                Bind(c, "$y", p.System ?? "");
                Bind(c, "$f", p.Field ?? "");
                Bind(c, "$v", double.IsFinite(p.Value) ? p.Value : 0);
                c.ExecuteNonQuery();
            }

            return id;
        }, cancellationToken);

    public async Task<IReadOnlyList<HealthHistoryPoint>> GetHealthHistoryAsync(HealthHistoryQuery query, CancellationToken cancellationToken)
    {
        await using var connection = OpenRead();
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder("""
            SELECT s.at, p.metric, p.type, p.system, p.field, p.value FROM health_points p JOIN health_samples s ON s.id = p.sample_id
            WHERE p.metric = $metric AND p.sample_id >= COALESCE((SELECT MIN(id) FROM health_samples WHERE at >= $since), 9223372036854775807)
            """);
        Bind(command, "$metric", query.Metric);
        Bind(command, "$since", Ms(query.Since));
        if (query.Until is { } until)
        {
            sql.Append(" AND s.at < $until");
            Bind(command, "$until", Ms(until));
        }

        if (query.OverallOnly)
        {
            sql.Append(" AND p.type = ''");
        }
        else if (query.Type is { } type)
        {
            sql.Append(" AND p.type = $type");
            Bind(command, "$type", type);
        }

        if (query.System is { } system)
        {
            sql.Append(" AND p.system = $system");
            Bind(command, "$system", system);
        }

        if (query.Field is { } field)
        {
            sql.Append(" AND p.field = $field");
            Bind(command, "$field", field);
        }

        // The newest points when there are more than the limit, returned oldest first.
        sql.Append(" ORDER BY p.sample_id DESC, p.type DESC, p.system DESC, p.field DESC LIMIT $limit");
        Bind(command, "$limit", query.Limit);
        command.CommandText = sql.ToString();
        var result = new List<HealthHistoryPoint>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            static string? Label(SqliteDataReader r, int i) => r.GetString(i) is { Length: > 0 } s ? s : null;
            result.Add(new HealthHistoryPoint(FromMs(reader.GetInt64(0)), reader.GetString(1), Label(reader, 2), Label(reader, 3), Label(reader, 4), reader.GetDouble(5)));
        }

        result.Reverse();
        return result;
    }

    public Task<int> ThinHealthHistoryAsync(DateTimeOffset before, DateTimeOffset dropBefore, CancellationToken cancellationToken) =>
        WriteAsync(w =>
        {
            var c = w.Command("""
                DELETE FROM health_samples WHERE (at < $drop) OR (at < $before AND id NOT IN (
                    SELECT MIN(id) FROM health_samples WHERE at < $before GROUP BY at / 3600000))
                RETURNING id
                """);
            Bind(c, "$before", Ms(before));
            Bind(c, "$drop", Ms(dropBefore));
            var removed = new List<long>();
            using (var r = c.ExecuteReader())
            {
                while (r.Read())
                {
                    removed.Add(r.GetInt64(0));
                }
            }

            foreach (var id in removed)
            {
                var d = w.Command("DELETE FROM health_points WHERE sample_id = $id");
                Bind(d, "$id", id);
                d.ExecuteNonQuery();
            }

            return removed.Count;
        }, cancellationToken);
}
