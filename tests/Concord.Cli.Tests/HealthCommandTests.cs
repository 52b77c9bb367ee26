using System.Text.Json.Nodes;
using Concord.Core.Records;
using Concord.Storage.Sqlite;
using Concord.Testing;

namespace Concord.Cli.Tests;

/// <summary><c>concord health</c> measures from the database without a running hub, as text or JSON, and exits 3 below target.</summary>
public sealed class HealthCommandTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_dir.File("concord.yaml"), """
            version: 1
            systems:
              crm:
                kind: http
                settings:
                  url: http://127.0.0.1:9/crm
                  webhook_secret: { env: CRM_WEBHOOK_SECRET }
            entities:
              customer: { owner: crm }
            syncs:
              - { system: crm, type: customer, direction: two-way }
            health:
              targets: { customer: 60% }
            """);

        // Two customers in the CRM, one without a name: 50% < 60%.
        await using var store = new SqliteHubStore(_dir.File("concord.db"));
        await store.InitializeAsync(default);
        var now = DateTimeOffset.UtcNow;
        await store.ExecuteAsync(tx =>
        {
            foreach (var (id, name) in new[] { ("rec_1", (string?)"Ann"), ("rec_2", null) })
            {
                var record = new GoldenRecord { Id = id, Type = "customer", Version = 1, CreatedAt = now, UpdatedAt = now };
                record.Fields["email"] = new FieldValue { Value = JsonValue.Create($"{id}@x.com"), System = "crm", ObservedAt = now, Version = 1 };
                if (name is not null)
                {
                    record.Fields["name"] = new FieldValue { Value = JsonValue.Create(name), System = "crm", ObservedAt = now, Version = 1 };
                }

                tx.SaveRecord(record, 0);
                tx.SetLink("crm", "customer", id, id);
            }

            return true;
        }, default);
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task TheReport_NamesTheScoreTargetAndReasons_AndExitsThreeBelowTarget()
    {
        var (code, output) = await CliRunner.RunAsync(_dir.Path, Timeout, "health");

        Assert.Equal(3, code);
        Assert.Contains("overall 50% of 2 records complete and connected (target 95%)", output, StringComparison.Ordinal);
        Assert.Matches(@"customer\s+2\s+50%\s+100%\s+50%\s+60%\s+below target", output);
        Assert.Contains("why: 1 missing name", output, StringComparison.Ordinal);
        Assert.Contains("below target: customer, overall", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_IsTheDataObjectOfTheHealthEndpoint()
    {
        var (code, output) = await CliRunner.RunAsync(_dir.Path, Timeout, "health", "--json");

        Assert.Equal(3, code);
        var report = JsonNode.Parse(output)!;
        Assert.Equal(0.5, (double)report["score"]!);
        var customer = report["types"]!.AsArray().Single()!;
        Assert.Equal(0.6, (double)customer["target"]!);
        Assert.Equal(1, (long)customer["fields"]!.AsArray().Single(f => (string?)f!["field"] == "name")!["missing"]!);
    }
}
