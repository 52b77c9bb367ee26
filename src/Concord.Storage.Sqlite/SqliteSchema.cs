using Microsoft.Data.Sqlite;

namespace Concord.Storage.Sqlite;

/// <summary>
/// The database schema as numbered migrations, applied in order at start inside one transaction.
/// A migration is never edited once released; a change is a new migration.
/// </summary>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE inbox(
            seq INTEGER PRIMARY KEY,
            change_id TEXT NOT NULL,
            system TEXT NOT NULL,
            event_id TEXT NOT NULL,
            type TEXT NOT NULL,
            external_id TEXT,
            occurred_at INTEGER NOT NULL,
            received_at INTEGER NOT NULL,
            via TEXT NOT NULL,
            change TEXT,
            payload TEXT NOT NULL,
            processed_at INTEGER,
            result TEXT,
            record_id TEXT,
            error TEXT);
        CREATE UNIQUE INDEX ux_inbox_event ON inbox(system, event_id);
        CREATE INDEX ix_inbox_pending ON inbox(seq) WHERE processed_at IS NULL;
        CREATE INDEX ix_inbox_record ON inbox(record_id) WHERE record_id IS NOT NULL;

        CREATE TABLE records(
            id TEXT NOT NULL PRIMARY KEY,
            type TEXT NOT NULL,
            version INTEGER NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0,
            conflicts INTEGER NOT NULL DEFAULT 0,
            search TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            doc TEXT NOT NULL);
        CREATE INDEX ix_records_type ON records(type, updated_at);

        CREATE TABLE links(
            system TEXT NOT NULL,
            type TEXT NOT NULL,
            external_id TEXT NOT NULL,
            record_id TEXT NOT NULL,
            linked_at INTEGER NOT NULL,
            PRIMARY KEY(system, type, external_id)) WITHOUT ROWID;
        CREATE INDEX ix_links_record ON links(record_id, system);
        CREATE INDEX ix_links_external ON links(external_id);

        CREATE TABLE identity_keys(
            type TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            record_id TEXT NOT NULL,
            PRIMARY KEY(type, key, value)) WITHOUT ROWID;
        CREATE INDEX ix_identity_record ON identity_keys(record_id);

        CREATE TABLE events(
            seq INTEGER PRIMARY KEY,
            record_id TEXT NOT NULL,
            type TEXT NOT NULL,
            version INTEGER NOT NULL,
            at INTEGER NOT NULL,
            kind TEXT NOT NULL,
            system TEXT NOT NULL,
            change_id TEXT NOT NULL,
            changes TEXT NOT NULL);
        CREATE INDEX ix_events_record ON events(record_id, version);

        CREATE TABLE deliveries(
            id INTEGER PRIMARY KEY,
            system TEXT NOT NULL,
            type TEXT NOT NULL,
            record_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            operation TEXT NOT NULL,
            payload TEXT NOT NULL,
            changed TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            correlation_id TEXT NOT NULL,
            status INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            completed_at INTEGER,
            last_error TEXT);
        CREATE INDEX ix_deliveries_open ON deliveries(system, id) WHERE status < 2;
        CREATE INDEX ix_deliveries_open_record ON deliveries(system, record_id, id) WHERE status < 2;
        CREATE INDEX ix_deliveries_status ON deliveries(status, system, id);
        CREATE INDEX ix_deliveries_record ON deliveries(record_id);

        CREATE TABLE attempts(
            seq INTEGER PRIMARY KEY,
            delivery_id INTEGER NOT NULL,
            system TEXT NOT NULL,
            type TEXT NOT NULL,
            record_id TEXT NOT NULL,
            correlation_id TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            started_at INTEGER NOT NULL,
            duration_ms REAL NOT NULL,
            result TEXT NOT NULL,
            status_code INTEGER,
            response TEXT,
            error TEXT);
        CREATE INDEX ix_attempts_record ON attempts(record_id);
        CREATE INDEX ix_attempts_delivery ON attempts(delivery_id);
        CREATE INDEX ix_attempts_started ON attempts(started_at);

        CREATE TABLE api_keys(
            id TEXT NOT NULL PRIMARY KEY,
            name TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL);
        """,
        """
        ALTER TABLE api_keys ADD COLUMN revoked_at INTEGER;
        """,
        """
        CREATE INDEX ix_attempts_system_started ON attempts(system, started_at);
        """,
        """
        CREATE TABLE connector_state(
            system TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY(system, key)) WITHOUT ROWID;
        """,
        """
        CREATE TABLE findings(
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            severity TEXT NOT NULL,
            type TEXT NOT NULL,
            record_id TEXT NOT NULL,
            other_record_id TEXT,
            system TEXT,
            message TEXT NOT NULL,
            raised_at INTEGER NOT NULL,
            resolved_at INTEGER);
        CREATE UNIQUE INDEX ux_findings_open ON findings(kind, record_id, coalesce(other_record_id, ''), coalesce(system, '')) WHERE resolved_at IS NULL;
        CREATE INDEX ix_findings_other ON findings(other_record_id) WHERE other_record_id IS NOT NULL;
        CREATE INDEX ix_findings_raised ON findings(raised_at);
        CREATE TABLE merges(
            id TEXT PRIMARY KEY,
            type TEXT NOT NULL,
            survivor_id TEXT NOT NULL,
            absorbed_id TEXT NOT NULL,
            survivor_before TEXT NOT NULL,
            absorbed TEXT NOT NULL,
            links TEXT NOT NULL,
            by TEXT NOT NULL,
            merged_at INTEGER NOT NULL,
            undone_at INTEGER);
        CREATE INDEX ix_merges_survivor ON merges(survivor_id);
        CREATE INDEX ix_merges_absorbed ON merges(absorbed_id);
        """,
        """
        ALTER TABLE findings ADD COLUMN dismissed_at INTEGER;
        """,
        """
        ALTER TABLE merges ADD COLUMN repointed TEXT;
        """,
        """
        CREATE TABLE rule_keys(
            rule TEXT NOT NULL,
            value TEXT NOT NULL,
            record_id TEXT NOT NULL,
            type TEXT NOT NULL,
            UNIQUE(rule, value, record_id));
        CREATE INDEX ix_rule_keys_record ON rule_keys(record_id);
        ALTER TABLE findings ADD COLUMN rule TEXT;
        DROP INDEX ux_findings_open;
        CREATE UNIQUE INDEX ux_findings_open ON findings(kind, record_id, coalesce(other_record_id, ''), coalesce(system, ''), coalesce(rule, '')) WHERE resolved_at IS NULL;
        INSERT INTO rule_keys(rule, value, record_id, type)
            SELECT 'one active subscription per customer and plan', value, record_id, type FROM identity_keys WHERE key = '$active_customer_plan';
        INSERT OR IGNORE INTO rule_keys(rule, value, record_id, type)
            SELECT 'one active subscription per customer and plan', k.value, f.record_id, f.type FROM findings f
            JOIN identity_keys k ON k.record_id = f.other_record_id AND k.key = '$active_customer_plan'
            WHERE f.kind = 'double-billing' AND f.resolved_at IS NULL;
        UPDATE findings SET rule = 'one active subscription per customer and plan' WHERE kind = 'double-billing';
        UPDATE findings SET rule = 'one id per system' WHERE kind = 'duplicate-in-system';
        DELETE FROM identity_keys WHERE key = '$active_customer_plan';
        """,
        """
        CREATE TABLE flow_runs(
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            flow TEXT NOT NULL,
            trigger_kind TEXT NOT NULL,
            trigger_key TEXT,
            record_type TEXT,
            record_id TEXT,
            status INTEGER NOT NULL,
            input TEXT NOT NULL,
            depth INTEGER NOT NULL,
            caused_by TEXT,
            step TEXT,
            error TEXT,
            replays INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            next_at INTEGER NOT NULL,
            finished_at INTEGER);
        CREATE UNIQUE INDEX ux_flow_runs_trigger ON flow_runs(flow, trigger_key) WHERE trigger_key IS NOT NULL;
        CREATE INDEX ix_flow_runs_due ON flow_runs(next_at) WHERE status < 4;
        CREATE INDEX ix_flow_runs_record ON flow_runs(record_id, flow, seq);
        CREATE INDEX ix_flow_runs_flow ON flow_runs(flow, seq);
        CREATE INDEX ix_flow_runs_created ON flow_runs(created_at);
        CREATE TABLE flow_steps(
            run_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            status INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            input TEXT,
            output TEXT,
            error TEXT,
            idempotency_key TEXT NOT NULL,
            started_at INTEGER,
            finished_at INTEGER,
            PRIMARY KEY(run_id, step_id));
        """,
        """
        CREATE TABLE verify_runs(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            system TEXT NOT NULL,
            type TEXT NOT NULL,
            verified_at INTEGER NOT NULL,
            hub_count INTEGER NOT NULL,
            system_count INTEGER NOT NULL,
            compared INTEGER NOT NULL,
            drifted INTEGER NOT NULL,
            error TEXT);
        CREATE INDEX ix_verify_runs_sync ON verify_runs(system, type, id);
        CREATE TABLE verify_drift(
            run_id INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            external_id TEXT NOT NULL,
            record_id TEXT,
            fields TEXT NOT NULL,
            PRIMARY KEY(run_id, seq)) WITHOUT ROWID;
        CREATE TABLE verify_seen(
            system TEXT NOT NULL,
            type TEXT NOT NULL,
            external_id TEXT NOT NULL,
            PRIMARY KEY(system, type, external_id)) WITHOUT ROWID;
        CREATE TABLE verify_requests(
            system TEXT NOT NULL,
            type TEXT NOT NULL,
            repair INTEGER NOT NULL,
            requested_at INTEGER NOT NULL,
            PRIMARY KEY(system, type)) WITHOUT ROWID;
        CREATE TABLE incidents(
            id TEXT NOT NULL PRIMARY KEY,
            rule TEXT NOT NULL,
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            subject TEXT NOT NULL,
            summary TEXT NOT NULL,
            detail TEXT,
            status INTEGER NOT NULL,
            opened_at INTEGER NOT NULL,
            last_seen_at INTEGER NOT NULL,
            resolved_at INTEGER,
            acknowledged_at INTEGER,
            acknowledged_by TEXT,
            acknowledgement_note TEXT,
            misses INTEGER NOT NULL DEFAULT 0);
        CREATE UNIQUE INDEX ux_incidents_unresolved ON incidents(rule, key) WHERE resolved_at IS NULL;
        CREATE INDEX ix_incidents_opened ON incidents(opened_at);
        CREATE TABLE notifications(
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            incident_id TEXT NOT NULL,
            event TEXT NOT NULL,
            channel TEXT NOT NULL,
            via TEXT NOT NULL,
            args TEXT NOT NULL,
            idempotency_key TEXT NOT NULL UNIQUE,
            status INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            sent_at INTEGER,
            last_error TEXT);
        CREATE INDEX ix_notifications_open ON notifications(next_attempt_at) WHERE status < 2;
        CREATE INDEX ix_notifications_incident ON notifications(incident_id);
        CREATE TABLE notification_attempts(
            seq INTEGER PRIMARY KEY,
            notification_id TEXT NOT NULL,
            incident_id TEXT NOT NULL,
            via TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            started_at INTEGER NOT NULL,
            duration_ms REAL NOT NULL,
            result TEXT NOT NULL,
            status_code INTEGER,
            request TEXT,
            response TEXT,
            error TEXT);
        CREATE INDEX ix_notification_attempts_incident ON notification_attempts(incident_id);
        CREATE INDEX ix_notification_attempts_started ON notification_attempts(started_at);
        CREATE TABLE traffic(
            subject TEXT NOT NULL,
            type TEXT NOT NULL,
            hour INTEGER NOT NULL,
            inbound INTEGER NOT NULL,
            outbound INTEGER NOT NULL,
            failed INTEGER NOT NULL,
            PRIMARY KEY(subject, type, hour)) WITHOUT ROWID;
        CREATE INDEX ix_traffic_hour ON traffic(hour);
        CREATE TABLE traffic_marks(
            source TEXT NOT NULL PRIMARY KEY,
            mark INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX ix_flow_runs_failed ON flow_runs(finished_at) WHERE status = 5;
        CREATE TABLE schema_shapes(
            system TEXT NOT NULL,
            type TEXT NOT NULL,
            doc TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY(system, type)) WITHOUT ROWID;
        CREATE TABLE health_samples(
            id INTEGER PRIMARY KEY,
            at INTEGER NOT NULL);
        CREATE INDEX ix_health_samples_at ON health_samples(at);
        CREATE TABLE health_points(
            sample_id INTEGER NOT NULL,
            metric TEXT NOT NULL,
            type TEXT NOT NULL,
            system TEXT NOT NULL,
            field TEXT NOT NULL,
            value REAL NOT NULL,
            PRIMARY KEY(sample_id, metric, type, system, field)) WITHOUT ROWID;
        CREATE INDEX ix_health_points_metric ON health_points(metric, sample_id);
        CREATE INDEX ix_inbox_system_received ON inbox(system, received_at);
        """,
        """
        CREATE TABLE users(
            id TEXT NOT NULL PRIMARY KEY,
            name TEXT NOT NULL COLLATE NOCASE UNIQUE,
            role INTEGER NOT NULL,
            password_hash TEXT NOT NULL,
            created_at INTEGER NOT NULL);
        """,
        """
        CREATE INDEX ix_deliveries_created ON deliveries(created_at);
        CREATE INDEX ix_deliveries_correlation ON deliveries(correlation_id);
        CREATE INDEX ix_attempts_correlation ON attempts(correlation_id);
        ALTER TABLE deliveries ADD COLUMN replayed_by TEXT;
        ALTER TABLE deliveries ADD COLUMN replayed_at INTEGER;
        """,
        // The record search looks an identity key up by its value alone: it does not know which key a query is.
        """
        CREATE INDEX ix_identity_value ON identity_keys(value);
        """,
        // Who replayed a run and when, as deliveries keep it; runs replayed before keep null.
        """
        ALTER TABLE flow_runs ADD COLUMN replayed_by TEXT;
        ALTER TABLE flow_runs ADD COLUMN replayed_at INTEGER;
        """,
    ];

    public static int Latest => Migrations.Length;

    public static void Migrate(SqliteConnection connection) => Migrate(connection, Migrations.Length);

    /// <summary>Applies the migrations up to version <paramref name="upTo"/>: a database as an older hub left it, for the upgrade tests.</summary>
    internal static void Migrate(SqliteConnection connection, int upTo)
    {
        using var tx = connection.BeginTransaction();
        using (var create = connection.CreateCommand())
        {
            create.Transaction = tx;
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)";
            create.ExecuteNonQuery();
        }

        long current;
        using (var read = connection.CreateCommand())
        {
            read.Transaction = tx;
            read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
            current = (long)read.ExecuteScalar()!;
        }

        if (current > Migrations.Length)
        {
            throw new InvalidOperationException($"the database is at schema version {current}, newer than this hub ({Migrations.Length}); upgrade Concord");
        }

        for (var v = (int)current; v < Math.Min(upTo, Migrations.Length); v++)
        {
            using var migrate = connection.CreateCommand();
            migrate.Transaction = tx;
            migrate.CommandText = Migrations[v] + $";\nINSERT INTO schema_version(version) VALUES ({v + 1});";
            migrate.ExecuteNonQuery();
        }

        tx.Commit();
    }
}
