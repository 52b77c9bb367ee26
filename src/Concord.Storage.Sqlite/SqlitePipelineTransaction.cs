using System.Text.Json;
using System.Text.Json.Nodes;
using Concord.Core.Records;
using Concord.Engine.Storage;

namespace Concord.Storage.Sqlite;

/// <summary>The processing stage's view of the writer's open transaction.</summary>
internal sealed partial class SqlitePipelineTransaction(SqliteWriter w, DateTimeOffset now) : IPipelineTransaction
{
    /// <summary>Fields copied into the search column, lower-cased, for the record search.</summary>
    private static readonly string[] SearchFields =
        ["name", "email", "first_name", "last_name", "company", "domain", "company_domain", "phone", "number", "subject", "title", "customer_email"];

    public string? FindLink(string system, string type, string externalId)
    {
        var c = w.Command("SELECT record_id FROM links WHERE system = $s AND type = $t AND external_id = $e");
        SqliteHubStore.Bind(c, "$s", system);
        SqliteHubStore.Bind(c, "$t", type);
        SqliteHubStore.Bind(c, "$e", externalId);
        return c.ExecuteScalar() as string;
    }

    public string? FindByIdentity(string type, string key, string value)
    {
        var c = w.Command("SELECT record_id FROM identity_keys WHERE type = $t AND key = $k AND value = $v");
        SqliteHubStore.Bind(c, "$t", type);
        SqliteHubStore.Bind(c, "$k", key);
        SqliteHubStore.Bind(c, "$v", value);
        return c.ExecuteScalar() as string;
    }

    public GoldenRecord? LoadRecord(string id)
    {
        var c = w.Command("SELECT doc FROM records WHERE id = $id");
        SqliteHubStore.Bind(c, "$id", id);
        return c.ExecuteScalar() is string doc ? JsonSerializer.Deserialize<GoldenRecord>(doc, SqliteHubStore.Json) : null;
    }

    public IReadOnlyList<GoldenRecord> FindReferencing(string recordId)
    {
        // Reference fields hold the hub's unique id (see SqliteHubStore.FindReferencingAsync).
        var c = w.Command($"SELECT r.doc FROM records r WHERE r.id <> $id AND {SqliteHubStore.References}");
        SqliteHubStore.Bind(c, "$id", recordId);
        var result = new List<GoldenRecord>();
        using var reader = c.ExecuteReader();
        while (reader.Read())
        {
            result.Add(JsonSerializer.Deserialize<GoldenRecord>(reader.GetString(0), SqliteHubStore.Json)!);
        }

        return result;
    }

    public void SaveRecord(GoldenRecord record, int conflicts)
    {
        var c = w.Command("""
            INSERT INTO records(id, type, version, deleted, conflicts, search, created_at, updated_at, doc)
            VALUES ($id, $type, $version, $deleted, $conflicts, $search, $created, $updated, $doc)
            ON CONFLICT(id) DO UPDATE SET version = excluded.version, deleted = excluded.deleted, conflicts = excluded.conflicts,
                search = excluded.search, updated_at = excluded.updated_at, doc = excluded.doc
            """);
        SqliteHubStore.Bind(c, "$id", record.Id);
        SqliteHubStore.Bind(c, "$type", record.Type);
        SqliteHubStore.Bind(c, "$version", record.Version);
        SqliteHubStore.Bind(c, "$deleted", record.Deleted ? 1 : 0);
        SqliteHubStore.Bind(c, "$conflicts", conflicts);
        SqliteHubStore.Bind(c, "$search", SearchText(record));
        SqliteHubStore.Bind(c, "$created", SqliteHubStore.Ms(record.CreatedAt));
        SqliteHubStore.Bind(c, "$updated", SqliteHubStore.Ms(record.UpdatedAt));
        SqliteHubStore.Bind(c, "$doc", JsonSerializer.Serialize(record, SqliteHubStore.Json));
        c.ExecuteNonQuery();
    }

    public void SetLink(string system, string type, string externalId, string recordId)
    {
        var c = w.Command("""
            INSERT INTO links(system, type, external_id, record_id, linked_at) VALUES ($s, $t, $e, $r, $at)
            ON CONFLICT(system, type, external_id) DO UPDATE SET record_id = excluded.record_id, linked_at = excluded.linked_at
            """);
        SqliteHubStore.Bind(c, "$s", system);
        SqliteHubStore.Bind(c, "$t", type);
        SqliteHubStore.Bind(c, "$e", externalId);
        SqliteHubStore.Bind(c, "$r", recordId);
        SqliteHubStore.Bind(c, "$at", SqliteHubStore.Ms(now));
        c.ExecuteNonQuery();
    }

    public void RemoveLink(string system, string type, string externalId)
    {
        var c = w.Command("DELETE FROM links WHERE system = $s AND type = $t AND external_id = $e");
        SqliteHubStore.Bind(c, "$s", system);
        SqliteHubStore.Bind(c, "$t", type);
        SqliteHubStore.Bind(c, "$e", externalId);
        c.ExecuteNonQuery();
    }

    public string? OtherLinkOf(string system, string type, string recordId, string exceptExternalId)
    {
        var c = w.Command("SELECT external_id FROM links WHERE system = $s AND type = $t AND record_id = $r AND external_id <> $e LIMIT 1");
        SqliteHubStore.Bind(c, "$s", system);
        SqliteHubStore.Bind(c, "$t", type);
        SqliteHubStore.Bind(c, "$r", recordId);
        SqliteHubStore.Bind(c, "$e", exceptExternalId);
        return c.ExecuteScalar() as string;
    }

    public IReadOnlyList<RecordLink> LinksOf(string recordId)
    {
        var c = w.Command("SELECT system, type, external_id, record_id, linked_at FROM links WHERE record_id = $r ORDER BY system, linked_at");
        SqliteHubStore.Bind(c, "$r", recordId);
        var result = new List<RecordLink>();
        using var reader = c.ExecuteReader();
        while (reader.Read())
        {
            result.Add(new RecordLink(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), SqliteHubStore.FromMs(reader.GetInt64(4))));
        }

        return result;
    }

    public void RemoveRecord(string recordId)
    {
        foreach (var sql in new[] { "DELETE FROM identity_keys WHERE record_id = $r", "DELETE FROM rule_keys WHERE record_id = $r", "DELETE FROM records WHERE id = $r" })
        {
            var c = w.Command(sql);
            SqliteHubStore.Bind(c, "$r", recordId);
            c.ExecuteNonQuery();
        }
    }

    public void SaveMerge(MergeEntry m)
    {
        var c = w.Command("""
            INSERT INTO merges(id, type, survivor_id, absorbed_id, survivor_before, absorbed, links, by, merged_at, undone_at, repointed)
            VALUES ($id, $type, $s, $a, $before, $absorbed, $links, $by, $at, $undone, $repointed)
            ON CONFLICT(id) DO UPDATE SET undone_at = excluded.undone_at
            """);
        SqliteHubStore.Bind(c, "$id", m.Id);
        SqliteHubStore.Bind(c, "$type", m.Type);
        SqliteHubStore.Bind(c, "$s", m.SurvivorId);
        SqliteHubStore.Bind(c, "$a", m.AbsorbedId);
        SqliteHubStore.Bind(c, "$before", m.SurvivorBefore);
        SqliteHubStore.Bind(c, "$absorbed", m.Absorbed);
        SqliteHubStore.Bind(c, "$links", JsonSerializer.Serialize(m.AbsorbedLinks, SqliteHubStore.Json));
        SqliteHubStore.Bind(c, "$by", m.By);
        SqliteHubStore.Bind(c, "$at", SqliteHubStore.Ms(m.MergedAt));
        SqliteHubStore.Bind(c, "$undone", m.UndoneAt is { } u ? SqliteHubStore.Ms(u) : null);
        SqliteHubStore.Bind(c, "$repointed", m.Repointed is { Count: > 0 } r ? JsonSerializer.Serialize(r, SqliteHubStore.Json) : null);
        c.ExecuteNonQuery();
    }

    public MergeEntry? LoadMerge(string id)
    {
        var c = w.Command("SELECT id, type, survivor_id, absorbed_id, survivor_before, absorbed, links, by, merged_at, undone_at, repointed FROM merges WHERE id = $id");
        SqliteHubStore.Bind(c, "$id", id);
        using var reader = c.ExecuteReader();
        return reader.Read() ? SqliteHubStore.ReadMerge(reader) : null;
    }

    public IReadOnlyList<MergeEntry> MergesOf(string recordId)
    {
        var c = w.Command("""
            SELECT id, type, survivor_id, absorbed_id, survivor_before, absorbed, links, by, merged_at, undone_at, repointed FROM merges
            WHERE survivor_id = $r OR absorbed_id = $r ORDER BY merged_at, rowid
            """);
        SqliteHubStore.Bind(c, "$r", recordId);
        var result = new List<MergeEntry>();
        using var reader = c.ExecuteReader();
        while (reader.Read())
        {
            result.Add(SqliteHubStore.ReadMerge(reader));
        }

        return result;
    }

    public void RaiseFinding(Finding f)
    {
        var c = w.Command("""
            INSERT INTO findings(id, kind, severity, type, record_id, other_record_id, system, message, raised_at, rule)
            SELECT $id, $kind, $severity, $type, $r, $other, $s, $message, $at, $rule
            WHERE NOT EXISTS (
                SELECT 1 FROM findings WHERE kind = $kind AND dismissed_at IS NOT NULL AND coalesce(system, '') = coalesce($s, '')
                  AND coalesce(rule, '') = coalesce($rule, '')
                  AND ((record_id = $r AND coalesce(other_record_id, '') = coalesce($other, ''))
                    OR (record_id = $other AND other_record_id = $r)))
            ON CONFLICT DO NOTHING
            """);
        SqliteHubStore.Bind(c, "$id", f.Id);
        SqliteHubStore.Bind(c, "$kind", f.Kind);
        SqliteHubStore.Bind(c, "$severity", f.Severity);
        SqliteHubStore.Bind(c, "$type", f.Type);
        SqliteHubStore.Bind(c, "$r", f.RecordId);
        SqliteHubStore.Bind(c, "$other", f.OtherRecordId);
        SqliteHubStore.Bind(c, "$s", f.System);
        SqliteHubStore.Bind(c, "$message", f.Message);
        SqliteHubStore.Bind(c, "$at", SqliteHubStore.Ms(f.RaisedAt));
        SqliteHubStore.Bind(c, "$rule", f.Rule);
        c.ExecuteNonQuery();
    }

    public IReadOnlyList<Finding> OpenFindingsOf(string recordId)
    {
        var c = w.Command("""
            SELECT id, kind, severity, type, record_id, other_record_id, system, message, raised_at, resolved_at, rule FROM findings
            WHERE resolved_at IS NULL AND (record_id = $r OR other_record_id = $r) ORDER BY raised_at, id
            """);
        SqliteHubStore.Bind(c, "$r", recordId);
        var result = new List<Finding>();
        using var reader = c.ExecuteReader();
        while (reader.Read())
        {
            result.Add(SqliteHubStore.ReadFinding(reader));
        }

        return result;
    }

    public IReadOnlyList<RuleKey> RuleKeysOf(string recordId)
    {
        var c = w.Command("SELECT rule, value FROM rule_keys WHERE record_id = $r");
        SqliteHubStore.Bind(c, "$r", recordId);
        var result = new List<RuleKey>();
        using var reader = c.ExecuteReader();
        while (reader.Read())
        {
            result.Add(new RuleKey(reader.GetString(0), reader.GetString(1)));
        }

        return result;
    }

    public void JoinRule(string rule, string type, string value, string recordId)
    {
        var c = w.Command("INSERT INTO rule_keys(rule, value, record_id, type) VALUES ($rule, $v, $r, $t) ON CONFLICT DO NOTHING");
        SqliteHubStore.Bind(c, "$rule", rule);
        SqliteHubStore.Bind(c, "$v", value);
        SqliteHubStore.Bind(c, "$r", recordId);
        SqliteHubStore.Bind(c, "$t", type);
        c.ExecuteNonQuery();
    }

    public void LeaveRule(string rule, string value, string recordId)
    {
        var c = w.Command("DELETE FROM rule_keys WHERE rule = $rule AND value = $v AND record_id = $r");
        SqliteHubStore.Bind(c, "$rule", rule);
        SqliteHubStore.Bind(c, "$v", value);
        SqliteHubStore.Bind(c, "$r", recordId);
        c.ExecuteNonQuery();
    }

    public IReadOnlyList<string> RuleMembers(string rule, string value)
    {
        var c = w.Command("SELECT record_id FROM rule_keys WHERE rule = $rule AND value = $v ORDER BY rowid");
        SqliteHubStore.Bind(c, "$rule", rule);
        SqliteHubStore.Bind(c, "$v", value);
        var result = new List<string>();
        using var reader = c.ExecuteReader();
        while (reader.Read())
        {
            result.Add(reader.GetString(0));
        }

        return result;
    }

    public Finding? LoadFinding(string id)
    {
        var c = w.Command("SELECT id, kind, severity, type, record_id, other_record_id, system, message, raised_at, resolved_at, rule FROM findings WHERE id = $id");
        SqliteHubStore.Bind(c, "$id", id);
        using var reader = c.ExecuteReader();
        return reader.Read() ? SqliteHubStore.ReadFinding(reader) : null;
    }

    public void CloseFinding(string id, bool dismissed)
    {
        var c = w.Command("UPDATE findings SET resolved_at = coalesce(resolved_at, $at), dismissed_at = CASE WHEN $dismissed = 1 THEN $at ELSE dismissed_at END WHERE id = $id");
        SqliteHubStore.Bind(c, "$at", SqliteHubStore.Ms(now));
        SqliteHubStore.Bind(c, "$dismissed", dismissed ? 1 : 0);
        SqliteHubStore.Bind(c, "$id", id);
        c.ExecuteNonQuery();
    }

    public void ResolveFindings(string kind, string recordId)
    {
        var c = w.Command("UPDATE findings SET resolved_at = $at WHERE kind = $kind AND resolved_at IS NULL AND (record_id = $r OR other_record_id = $r)");
        SqliteHubStore.Bind(c, "$at", SqliteHubStore.Ms(now));
        SqliteHubStore.Bind(c, "$kind", kind);
        SqliteHubStore.Bind(c, "$r", recordId);
        c.ExecuteNonQuery();
    }

    public bool ClaimIdentity(string type, string key, string value, string recordId)
    {
        var c = w.Command("INSERT INTO identity_keys(type, key, value, record_id) VALUES ($t, $k, $v, $r) ON CONFLICT DO NOTHING");
        SqliteHubStore.Bind(c, "$t", type);
        SqliteHubStore.Bind(c, "$k", key);
        SqliteHubStore.Bind(c, "$v", value);
        SqliteHubStore.Bind(c, "$r", recordId);
        return c.ExecuteNonQuery() == 1 || FindByIdentity(type, key, value) == recordId;
    }

    public void ReleaseIdentity(string type, string key, string value, string recordId)
    {
        var c = w.Command("DELETE FROM identity_keys WHERE type = $t AND key = $k AND value = $v AND record_id = $r");
        SqliteHubStore.Bind(c, "$t", type);
        SqliteHubStore.Bind(c, "$k", key);
        SqliteHubStore.Bind(c, "$v", value);
        SqliteHubStore.Bind(c, "$r", recordId);
        c.ExecuteNonQuery();
    }

    public void AppendEvent(RecordEvent e)
    {
        var c = w.Command("""
            INSERT INTO events(record_id, type, version, at, kind, system, change_id, changes)
            VALUES ($r, $t, $v, $at, $k, $s, $c, $changes)
            """);
        SqliteHubStore.Bind(c, "$r", e.RecordId);
        SqliteHubStore.Bind(c, "$t", e.Type);
        SqliteHubStore.Bind(c, "$v", e.Version);
        SqliteHubStore.Bind(c, "$at", SqliteHubStore.Ms(e.At));
        SqliteHubStore.Bind(c, "$k", e.Kind);
        SqliteHubStore.Bind(c, "$s", e.System);
        SqliteHubStore.Bind(c, "$c", e.ChangeId);
        SqliteHubStore.Bind(c, "$changes", JsonSerializer.Serialize(e.Changes, SqliteHubStore.Json));
        c.ExecuteNonQuery();
    }

    public void EnqueueDelivery(Delivery d)
    {
        var c = w.Command("""
            INSERT INTO deliveries(system, type, record_id, version, operation, payload, changed, idempotency_key, correlation_id, status, attempts, created_at, next_attempt_at)
            VALUES ($s, $t, $r, $v, $op, $p, $ch, $k, $corr, 0, 0, $at, $at)
            """);
        SqliteHubStore.Bind(c, "$s", d.System);
        SqliteHubStore.Bind(c, "$t", d.Type);
        SqliteHubStore.Bind(c, "$r", d.RecordId);
        SqliteHubStore.Bind(c, "$v", d.Version);
        SqliteHubStore.Bind(c, "$op", d.Operation);
        SqliteHubStore.Bind(c, "$p", d.Payload);
        SqliteHubStore.Bind(c, "$ch", d.Changed);
        SqliteHubStore.Bind(c, "$k", d.IdempotencyKey);
        SqliteHubStore.Bind(c, "$corr", d.CorrelationId);
        SqliteHubStore.Bind(c, "$at", SqliteHubStore.Ms(d.CreatedAt));
        c.ExecuteNonQuery();
    }

    public void CompleteChange(long sequence, string result, string? recordId, string? error)
    {
        var c = w.Command("UPDATE inbox SET processed_at = $at, result = $res, record_id = $r, error = $err, change = NULL WHERE seq = $seq");
        SqliteHubStore.Bind(c, "$at", SqliteHubStore.Ms(now));
        SqliteHubStore.Bind(c, "$res", result);
        SqliteHubStore.Bind(c, "$r", recordId);
        SqliteHubStore.Bind(c, "$err", error);
        SqliteHubStore.Bind(c, "$seq", sequence);
        c.ExecuteNonQuery();
    }

    public void BeginChange() => w.Command("SAVEPOINT change").ExecuteNonQuery();

    public void CommitChange() => w.Command("RELEASE change").ExecuteNonQuery();

    public void AbortChange()
    {
        w.Command("ROLLBACK TO change").ExecuteNonQuery();
        w.Command("RELEASE change").ExecuteNonQuery();
    }

    private static string? SearchText(GoldenRecord record)
    {
        var parts = new List<string>();
        foreach (var f in SearchFields)
        {
            if (record.BestValueOf(f) is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0)
            {
                parts.Add(s.Trim().ToLowerInvariant());
            }
        }

        // A person kept as first and last name is searched for by the whole name too.
        if (record.BestValueOf("first_name") is JsonValue first && first.TryGetValue<string>(out var f1) &&
            record.BestValueOf("last_name") is JsonValue last && last.TryGetValue<string>(out var l1))
        {
            parts.Add((f1.Trim() + " " + l1.Trim()).ToLowerInvariant());
        }

        return parts.Count == 0 ? null : string.Join('\u001f', parts);
    }
}
