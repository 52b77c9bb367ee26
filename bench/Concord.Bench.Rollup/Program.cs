using System.Diagnostics;
using System.Globalization;
using Concord.Storage.Sqlite;
using Microsoft.Data.Sqlite;

// A log of N inbox lines spread over H past hours (four systems, three types), as a hub that has run for weeks
// holds it; then: the first rollup (nothing counted before), an hourly rollup after one more hour of traffic,
// and the read the silence signal makes (five weeks of history plus the hour under way).
var lines = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var hours = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000;
var dir = Directory.CreateTempSubdirectory("concord-rollup-");
var path = Path.Combine(dir.FullName, "hub.db");
var now = DateTimeOffset.UtcNow;
var start = now - TimeSpan.FromHours(hours);

try
{
    await using (var init = new SqliteHubStore(path, durable: false))
    {
        await init.InitializeAsync(default);
    }

    var fill = Stopwatch.StartNew();
    Insert(path, 0, lines, start, TimeSpan.FromHours(hours));
    fill.Stop();

    await using var store = new SqliteHubStore(path, durable: false);
    await store.InitializeAsync(default);
    var first = Stopwatch.StartNew();
    var rolled = await store.RollUpTrafficAsync(now, now - TimeSpan.FromDays(180), default);
    first.Stop();

    // One more hour of traffic (the average hour), then the hourly rollup.
    var perHour = lines / hours;
    Insert(path, lines, perHour, now, TimeSpan.FromHours(1));
    var later = now + TimeSpan.FromHours(1);
    var hourly = Stopwatch.StartNew();
    var next = await store.RollUpTrafficAsync(later, later - TimeSpan.FromDays(180), default);
    hourly.Stop();

    // The first read also pays for opening a read connection and compiling the code; the silence signal reads every half minute.
    var cold = Stopwatch.StartNew();
    await store.GetTrafficAsync(later - TimeSpan.FromDays(35), later + TimeSpan.FromHours(1), default);
    cold.Stop();
    var read = Stopwatch.StartNew();
    var history = await store.GetTrafficAsync(later - TimeSpan.FromDays(35), later + TimeSpan.FromHours(1), default);
    read.Stop();

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"concord-rollup lines={lines} hours={hours} fill_s={fill.Elapsed.TotalSeconds:0.0} first_rollup_s={first.Elapsed.TotalSeconds:0.00} first_lines={rolled.Lines} "
        + $"hourly_lines={next.Lines} hourly_rollup_ms={hourly.Elapsed.TotalMilliseconds:0.0} read_5w_cold_ms={cold.Elapsed.TotalMilliseconds:0.0} read_5w_ms={read.Elapsed.TotalMilliseconds:0.0} history_rows={history.Count} "
        + $"db_mb={new FileInfo(path).Length / 1048576.0:0}"));
}
finally
{
    SqliteConnection.ClearAllPools();
    dir.Delete(recursive: true);
}

static void Insert(string path, long from, long count, DateTimeOffset start, TimeSpan span)
{
    using var connection = new SqliteConnection($"Data Source={path}");
    connection.Open();
    using var tx = connection.BeginTransaction();
    using var insert = connection.CreateCommand();
    insert.Transaction = tx;
    insert.CommandText = """
        INSERT INTO inbox(change_id, system, event_id, type, external_id, occurred_at, received_at, via, change, payload, processed_at, result, record_id)
        VALUES ($id, $system, $id, $type, $id, $at, $at, 'webhook', NULL, '{}', $at, 'updated', NULL)
        """;
    var id = insert.Parameters.Add("$id", SqliteType.Text);
    var system = insert.Parameters.Add("$system", SqliteType.Text);
    var type = insert.Parameters.Add("$type", SqliteType.Text);
    var at = insert.Parameters.Add("$at", SqliteType.Integer);
    string[] systems = ["stripe", "hubspot", "quickbooks", "shop"];
    string[] types = ["customer", "invoice", "payment"];
    var step = span.TotalMilliseconds / count;
    for (var i = 0L; i < count; i++)
    {
        id.Value = "chg_" + (from + i).ToString(CultureInfo.InvariantCulture);
        system.Value = systems[(from + i) % systems.Length];
        type.Value = types[(from + i) / systems.Length % types.Length];
        at.Value = start.ToUnixTimeMilliseconds() + (long)(i * step);
        insert.ExecuteNonQuery();
    }

    tx.Commit();
}
