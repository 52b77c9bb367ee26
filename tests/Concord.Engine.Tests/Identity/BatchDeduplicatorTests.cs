using System.Globalization;
using System.Text;
using System.Text.Json;
using Concord.Core.Records;
using Concord.Core.Sync;
using Concord.Engine.Identity;
using Concord.Engine.Intake;
using Concord.Engine.Processing;
using Concord.Engine.Storage;
using Concord.Storage.Sqlite;
using Concord.Testing;

namespace Concord.Engine.Tests.Identity;

/// <summary>
/// Batch deduplication over a store of 200 distinct customers and a few planted duplicates:
/// the matcher trains by EM on the store itself, so the set is large enough to learn from.
/// </summary>
public sealed class BatchDeduplicatorTests : IAsyncLifetime
{
    private const string Yaml = """
        version: 1
        systems:
          crm: { kind: http, settings: { url: "http://127.0.0.1:1/crm", webhook_secret: { env: S } } }
        entities:
          customer: { owner: crm, identity: [email] }
        syncs:
          - { system: crm, type: customer, direction: two-way }
        """;

    private static readonly string[] FirstNames =
        ["Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Grace", "Leo", "Freya", "Oscar", "Lily", "Harry", "Ella", "Jack", "Ivy", "Charlie", "Rosie", "Thomas"];

    private static readonly string[] LastNames =
        ["Patel", "Jones", "Williams", "Brown", "Taylor", "Davies", "Evans", "Wilson", "Thomas", "Roberts", "Walker", "Wright", "Robinson", "Thompson", "White", "Hughes", "Edwards", "Green", "Hall", "Wood"];

    private static readonly string[] Streets = ["High St", "Church Rd", "Station Rd", "Mill Lane", "Park Ave", "Victoria Rd", "Green Lane", "Manor Rd", "Kings Rd", "Queen St"];

    private static readonly string[] Cities = ["York", "Bath", "Hull", "Derby", "Exeter", "Norwich", "Bristol", "Chester"];

    private PipelineRig _rig = null!;

    private SqliteHubStore _store => _rig.Store;

    private ManualTimeProvider _time => _rig.Time;

    private RecordMerger _merger => _rig.Merger;

    // The store is filled as an import without matching on arrival would: the duplicates are left for the batch.
    public async Task InitializeAsync() => _rig = await PipelineRig.StartAsync(Yaml, matchOnArrival: false);

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task ADryRun_ProposesThePlantedDuplicates_AndChangesNothing()
    {
        var planted = await SeedAsync();
        var before = await SnapshotAsync();

        var report = await Deduplicator().RunAsync("customer", dryRun: true, null, default);

        Assert.Equal(201 + planted.Count, report.Records);
        Assert.Equal(planted.OrderBy(p => p.Survivor), report.Merges.Select(m => (m.SurvivorId, m.AbsorbedId)).OrderBy(p => p.SurvivorId));
        Assert.All(report.Merges, m => Assert.Null(m.MergeId));
        Assert.Equal(before, await SnapshotAsync());
        Assert.Empty(await _store.QueryFindingsAsync(new FindingQuery(Kind: "possible-duplicate"), default));
        Assert.Contains("would-merge", report.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARun_MergesExactlyThePlantedDuplicatesIntoTheOlderRecord_AndEachMergeCanBeUndone()
    {
        var planted = await SeedAsync();
        var (jon, jonathan) = planted[0];
        var jonBefore = Json((await _store.GetRecordAsync(jon, default))!, version: false);
        var jonathanBefore = Json((await _store.GetRecordAsync(jonathan, default))!, version: false);
        var stages = new List<string>();

        var report = await Deduplicator().RunAsync("customer", dryRun: false, stages.Add, default);

        Assert.Equal(planted.OrderBy(p => p.Survivor), report.Merges.Select(m => (m.SurvivorId, m.AbsorbedId)).OrderBy(p => p.SurvivorId));
        Assert.Equal(201, await _store.ReadRecordsAsync("customer", default).CountAsync());
        Assert.Null(await _store.GetRecordAsync(jonathan, default));
        var survivor = (await _store.GetRecordAsync(jon, default))!;
        Assert.Equal("jon@acme.example", survivor.ValueOf("email")?.ToString());
        Assert.Equal(["new-0", "old-0"], (await _store.GetLinksAsync(jon, default)).Select(l => l.ExternalId).Order());
        Assert.Equal(BatchDeduplicator.MergedBy, Assert.Single(await _store.GetMergesAsync(jon, default)).By);
        Assert.Equal(4, stages.Count);

        var merge = report.Merges.Single(m => m.AbsorbedId == jonathan);
        await _store.ExecuteAsync(tx => _merger.Unmerge(tx, merge.MergeId!), default);

        Assert.Equal(jonathanBefore, Json((await _store.GetRecordAsync(jonathan, default))!, version: false));
        Assert.Equal(jonBefore, Json((await _store.GetRecordAsync(jon, default))!, version: false));
    }

    [Fact]
    public async Task ATypeWithoutAModel_IsSkipped()
    {
        var report = await Deduplicator().RunAsync("invoice", dryRun: false, null, default);

        Assert.NotNull(report.Skipped);
        Assert.Contains("skipped", report.Summary, StringComparison.Ordinal);
    }

    private BatchDeduplicator Deduplicator() => new(_store, _merger, _time);

    /// <summary>200 distinct customers, then planted duplicates entered later; returns (original, duplicate) ids.</summary>
    private async Task<List<(string Survivor, string Absorbed)>> SeedAsync()
    {
        var random = new Random(20261122);
        var people = new List<Dictionary<string, string>>();
        var names = (from f in FirstNames from l in LastNames select (f, l)).OrderBy(_ => random.Next()).Take(200).ToList();
        for (var i = 0; i < names.Count; i++)
        {
            var (first, last) = names[i];
            people.Add(new()
            {
                ["name"] = $"{first} {last}",
                ["email"] = $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}{i}@example.com",
                ["phone"] = "0" + random.Next(1_000_000_000, 2_000_000_000).ToString(CultureInfo.InvariantCulture),
                ["address_line1"] = $"{i + 1} {Streets[random.Next(Streets.Length)]}",
                ["city"] = Cities[random.Next(Cities.Length)],
                ["postal_code"] = $"{(char)('A' + random.Next(26))}{(char)('A' + random.Next(26))}{random.Next(1, 30)} {random.Next(1, 10)}{(char)('A' + random.Next(26))}{(char)('A' + random.Next(26))}",
            });
        }

        var jon = new Dictionary<string, string>
        {
            ["name"] = "Jon Smith", ["email"] = "jon@acme.example", ["phone"] = "0113 496 0000", ["address_line1"] = "12 High St", ["city"] = "Leeds", ["postal_code"] = "LS1 4AB",
        };
        var jonathan = new Dictionary<string, string>
        {
            ["name"] = "Jonathan Smith", ["email"] = "j.smith@gmail.com", ["phone"] = "01134960000", ["address_line1"] = "12 High Street", ["city"] = "Leeds", ["postal_code"] = "LS1 4AB",
        };

        // Second entries of a few of them: another email, the same person and place.
        var duplicates = new List<(int Of, Dictionary<string, string> Copy)> { (-1, jonathan) };
        foreach (var i in new[] { 3, 17, 42, 88, 120, 150, 177, 199 })
        {
            var copy = new Dictionary<string, string>(people[i]) { ["email"] = $"shopper{i}@mail.example" };
            duplicates.Add((i, copy));
        }

        var originals = await SendAsync("old", [jon, .. people]);
        var copies = await SendAsync("new", duplicates.Select(d => d.Copy).ToList());
        return duplicates.Select((d, k) => (originals[d.Of + 1], copies[k])).ToList();
    }

    private async Task<List<string>> SendAsync(string prefix, List<Dictionary<string, string>> rows)
    {
        var changes = rows.Select((fields, k) => new { type = "customer", external_id = $"{prefix}-{k}", fields }).ToList();
        var parsed = _rig.Intake.ParseBatch("crm", Encoding.UTF8.GetBytes(JsonSerializer.Serialize(changes)), "api");
        await _store.AppendAsync(parsed, default);
        while (await _store.ProcessInboxAsync(100, (tx, batch) => _rig.Processor.Process(tx, batch), default) > 0)
        {
        }

        _time.Advance(TimeSpan.FromMinutes(1));
        var ids = new List<string>();
        foreach (var change in parsed)
        {
            ids.Add((await _store.SearchAsync("customer", change.Change.ExternalId!, 5, default)).Single().Id);
        }

        return ids;
    }

    private async Task<List<string>> SnapshotAsync() =>
        await _store.ReadRecordsAsync("customer", default).Select(r => Json(r)).ToListAsync();

    private static string Json(GoldenRecord r, bool version = true)
    {
        // An unmerge writes the records back as a new version; everything else must be as it was.
        var copy = JsonSerializer.Deserialize<GoldenRecord>(JsonSerializer.Serialize(r, JsonText.Options), JsonText.Options)!;
        if (!version)
        {
            copy.Version = 0;
            copy.UpdatedAt = default;
        }

        return JsonSerializer.Serialize(copy, JsonText.Options);
    }
}
