using System.Text.Json;
using Concord.Core.Records;
using Concord.Engine.Storage;

namespace Concord.Storage.Sqlite;

public sealed partial class SqliteHubStore
{
    private const string InsertInbox = """
        INSERT INTO inbox(change_id, system, event_id, type, external_id, occurred_at, received_at, via, change, payload)
        VALUES ($change_id, $system, $event_id, $type, $external_id, $occurred_at, $received_at, $via, $change, $payload)
        ON CONFLICT(system, event_id) DO NOTHING
        """;

    public Task<IReadOnlyList<AcceptOutcome>> AppendAsync(IReadOnlyList<InboundChange> changes, CancellationToken cancellationToken)
    {
        // Serialise outside the writer thread: it is the one resource every request shares.
        var rows = changes.Select(c => (c, JsonSerializer.Serialize(StoredChange.From(c.Change), Json))).ToList();
        return WriteAsync<IReadOnlyList<AcceptOutcome>>(w =>
        {
            var outcomes = new List<AcceptOutcome>(rows.Count);
            foreach (var (inbound, json) in rows)
            {
                var change = inbound.Change;
                var insert = w.Command(InsertInbox);
                Bind(insert, "$change_id", inbound.ChangeId);
                Bind(insert, "$system", change.System);
                Bind(insert, "$event_id", change.EventId);
                Bind(insert, "$type", change.Type);
                Bind(insert, "$external_id", change.ExternalId);
                Bind(insert, "$occurred_at", Ms(change.OccurredAt));
                Bind(insert, "$received_at", Ms(inbound.ReceivedAt));
                Bind(insert, "$via", inbound.Via);
                Bind(insert, "$change", json);
                Bind(insert, "$payload", inbound.Payload);
                if (insert.ExecuteNonQuery() == 1)
                {
                    outcomes.Add(new AcceptOutcome(change.EventId, inbound.ChangeId, Duplicate: false));
                    continue;
                }

                var existing = w.Command("SELECT change_id FROM inbox WHERE system = $system AND event_id = $event_id");
                Bind(existing, "$system", change.System);
                Bind(existing, "$event_id", change.EventId);
                outcomes.Add(new AcceptOutcome(change.EventId, (string)existing.ExecuteScalar()!, Duplicate: true));
            }

            return outcomes;
        }, cancellationToken);
    }

    /// <summary>The change as kept in the inbox until it is processed (then cleared: the golden record holds the values).</summary>
    internal sealed record StoredChange(string System, string Type, string? ExternalId, string EventId, DateTimeOffset OccurredAt, Dictionary<string, System.Text.Json.Nodes.JsonNode?> Fields, bool Deleted)
    {
        public static StoredChange From(Change c) => new(c.System, c.Type, c.ExternalId, c.EventId, c.OccurredAt, new(c.Fields, StringComparer.Ordinal), c.Deleted);

        public Change ToChange() => new(System, Type, ExternalId, EventId, OccurredAt, Fields, Deleted);
    }
}
