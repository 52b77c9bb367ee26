using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Records;
using Concord.Engine.Health;
using Concord.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

// Plants N records (half customers in two systems, half invoices naming them) straight into a fresh
// store, then times data-health measurements over it: the first (cold cache) and the best of the next two.
// usage: concord-health-bench [N ...]   (default: 100000 1000000)
var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [100_000, 1_000_000];
var config = ConfigLoader.Load("""
    version: 1
    systems:
      crm: { kind: http, settings: { url: "http://127.0.0.1:9/crm" } }
      billing: { kind: http, settings: { url: "http://127.0.0.1:9/billing" } }
    entities:
      customer: { owner: crm, identity: [email] }
      invoice: { owner: billing }
    syncs:
      - { system: crm, type: customer, direction: two-way }
      - { system: billing, type: customer, direction: push }
      - { system: billing, type: invoice, direction: two-way }
    """).Config;

foreach (var n in sizes)
{
    var dir = Directory.CreateTempSubdirectory("concord-health-bench-");
    try
    {
        var path = Path.Combine(dir.FullName, "hub.db");
        await using (var init = new SqliteHubStore(path, durable: false))
        {
            await init.InitializeAsync(default);
        }

        var planted = Stopwatch.StartNew();
        Plant(path, n);
        planted.Stop();
        await using var store = new SqliteHubStore(path, durable: false);
        await store.InitializeAsync(default);
        var monitor = new DataHealthMonitor(config, store, TimeProvider.System, NullLogger.Instance);
        var cold = Stopwatch.StartNew();
        var report = await monitor.MeasureAsync(default);
        cold.Stop();
        var warm = double.MaxValue;
        for (var i = 0; i < 2; i++)
        {
            var sw = Stopwatch.StartNew();
            await monitor.MeasureAsync(default);
            warm = Math.Min(warm, sw.Elapsed.TotalSeconds);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"concord-health records={report.Records} db_mb={new FileInfo(path).Length / (1024 * 1024)} plant_s={planted.Elapsed.TotalSeconds:0.0} measure_cold_s={cold.Elapsed.TotalSeconds:0.00} measure_warm_s={warm:0.00} score={report.Score:0.0000} {Machine()}"));
    }
    finally
    {
        SqliteConnection.ClearAllPools();
        dir.Delete(recursive: true);
    }
}

static void Plant(string path, int n)
{
    var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
    var at = DateTimeOffset.UtcNow;
    var ms = at.ToUnixTimeMilliseconds();
    using var connection = new SqliteConnection($"Data Source={path}");
    connection.Open();
    using var tx = connection.BeginTransaction();
    using var record = connection.CreateCommand();
    record.CommandText = "INSERT INTO records(id, type, version, deleted, conflicts, search, created_at, updated_at, doc) VALUES ($id, $type, 1, 0, $conflicts, '', $t, $t, $doc)";
    var pId = record.Parameters.Add("$id", SqliteType.Text);
    var pType = record.Parameters.Add("$type", SqliteType.Text);
    var pConflicts = record.Parameters.Add("$conflicts", SqliteType.Integer);
    var pDoc = record.Parameters.Add("$doc", SqliteType.Text);
    record.Parameters.AddWithValue("$t", ms);
    using var link = connection.CreateCommand();
    link.CommandText = "INSERT INTO links(system, type, external_id, record_id, linked_at) VALUES ($s, $type, $x, $id, $t)";
    var lSystem = link.Parameters.Add("$s", SqliteType.Text);
    var lType = link.Parameters.Add("$type", SqliteType.Text);
    var lExternal = link.Parameters.Add("$x", SqliteType.Text);
    var lId = link.Parameters.Add("$id", SqliteType.Text);
    link.Parameters.AddWithValue("$t", ms);

    FieldValue V(object value, string system) => new() { Value = JsonValue.Create(value), System = system, SourceId = "x", ObservedAt = at, Version = 1 };
    void Link(string system, string type, string externalId, string id)
    {
        lSystem.Value = system;
        lType.Value = type;
        lExternal.Value = externalId;
        lId.Value = id;
        link.ExecuteNonQuery();
    }

    var customers = n / 2;
    for (var i = 0; i < n; i++)
    {
        var r = new GoldenRecord { Id = $"rec_{i:D8}", Version = 1, CreatedAt = at, UpdatedAt = at };
        var conflicts = 0;
        if (i < customers)
        {
            r.Type = "customer";
            if (i % 20 != 0)
            {
                r.Fields["email"] = V($"person{i}@example.com", "crm");
            }

            r.Fields["name"] = V($"Person {i}", "crm");
            r.Fields["phone"] = V($"+1 555 {i % 10_000:D4}", "crm");
            r.Fields["company"] = V($"Company {i % 5000}", "crm");
            if (i % 33 == 0)
            {
                r.Observations["name"] = new() { ["billing"] = new Observation { Value = JsonValue.Create($"P. {i}"), ObservedAt = at } };
                conflicts = 1;
            }

            Link("crm", "customer", $"c{i}", r.Id);
            if (i % 10 != 0)
            {
                Link("billing", "customer", $"cus_{i}", r.Id);
            }
        }
        else
        {
            r.Type = "invoice";
            var customer = i % 25 == 0 ? "rec_missing" : $"rec_{(i - customers) % customers:D8}";
            r.Fields["number"] = V($"INV-{i}", "billing");
            if (i % 50 != 0)
            {
                r.Fields["customer"] = V(customer, "billing");
            }

            r.Fields["amount"] = V(100 + (i % 900), "billing");
            r.Fields["currency"] = V("USD", "billing");
            r.Fields["status"] = V(i % 3 == 0 ? "paid" : "open", "billing");
            Link("billing", "invoice", $"in_{i}", r.Id);
        }

        pId.Value = r.Id;
        pType.Value = r.Type;
        pConflicts.Value = conflicts;
        pDoc.Value = JsonSerializer.Serialize(r, json);
        record.ExecuteNonQuery();
    }

    tx.Commit();
}

static string Machine()
{
    var cpu = File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
        : "unknown";
    var ramMb = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024);
    return $"machine: cpu=\"{cpu}\" cores={Environment.ProcessorCount} ram_mb={ramMb} os=\"{RuntimeInformation.OSDescription}\" runtime={Environment.Version}";
}
