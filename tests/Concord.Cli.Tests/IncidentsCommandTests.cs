using Concord.Engine.Storage;
using Concord.Storage.Sqlite;
using Concord.Testing;

namespace Concord.Cli.Tests;

/// <summary><c>concord incidents</c> against a hub's database: unresolved incidents by default, every one with --all.</summary>
public sealed class IncidentsCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ListsUnresolvedIncidents_AndResolvedOnesWithAll()
    {
        await File.WriteAllTextAsync(_dir.File("concord.yaml"), """
            version: 1
            hub: { data: concord.db }
            systems:
              crm: { kind: webhook, settings: { secret: { env: CRM_SECRET } } }
            entities:
              customer: { owner: crm }
            syncs:
              - { system: crm, type: customer, direction: pull }
            """);
        var at = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        await using (var store = new SqliteHubStore(_dir.File("concord.db")))
        {
            await store.InitializeAsync(default);
            await store.OpenIncidentAsync(new Incident("inc_1", "dead_letter", "dead_letter", "stripe", "system stripe", "2 deliveries to stripe gave up", null,
                IncidentStatus.Open, at, at), [], default);
            await store.OpenIncidentAsync(new Incident("inc_2", "circuit_open", "circuit_open", "stripe", "system stripe", "the circuit to stripe is open", null,
                IncidentStatus.Open, at, at), [], default);
            await store.ResolveIncidentAsync("inc_2", at + TimeSpan.FromMinutes(42), [], default);
            await store.AcknowledgeIncidentAsync("inc_1", "ann", null, at, default);
        }

        var open = await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), "incidents", "--config", _dir.File("concord.yaml"));
        Assert.Equal(0, open.ExitCode);
        Assert.Contains("2026-11-22 09:00  inc_1  acknowledged by ann  dead_letter on system stripe: 2 deliveries to stripe gave up", open.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("inc_2", open.Output, StringComparison.Ordinal);

        var all = await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), "incidents", "--all", "--config", _dir.File("concord.yaml"));
        Assert.Contains("inc_2  resolved after 42m  circuit_open on system stripe", all.Output, StringComparison.Ordinal);
    }
}
