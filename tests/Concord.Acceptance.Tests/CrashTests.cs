using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Concord.Server.Auth;
using Concord.Storage.Sqlite;
using Concord.Testing;
using Xunit.Abstractions;

namespace Concord.Acceptance.Tests;

/// <summary>
/// kill -9 of the hub in the middle of a load, then a restart: every acknowledged change is in the
/// store and reaches a sink that dedupes by Idempotency-Key exactly once.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private RecordingSink _sink = null!;

    public async Task InitializeAsync() => _sink = await RecordingSink.StartAsync();

    public async Task DisposeAsync()
    {
        await _sink.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task KillingTheHubUnderLoad_LosesNoAcknowledgedChange_AndDeliversEachOnce()
    {
        var config = _dir.File("concord.yaml");
        await File.WriteAllTextAsync(config, TestConfigs.TwoSystems(_sink.Url + "/crm", _sink.Url + "/sink"));
        string key;
        await using (var store = new SqliteHubStore(_dir.File("concord.db")))
        {
            await store.InitializeAsync(default);
            (_, key) = await new ApiKeys(store, TimeProvider.System).CreateAsync("crash-test", default);
        }

        var port = HubHarness.FreePort();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        var hub = HubProcess.Start(config, port, TestConfigs.Secrets);
        try
        {
            await hub.WaitUpAsync(http);
            var acked = new ConcurrentBag<string>();
            var next = 0;
            using var loadStop = new CancellationTokenSource();
            var load = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                while (!loadStop.IsCancellationRequested)
                {
                    var n = Interlocked.Increment(ref next);
                    var emails = Enumerable.Range(0, 5).Select(i => $"u{n}x{i}@example.com").ToList();
                    var batch = new JsonObject
                    {
                        ["changes"] = new JsonArray(emails.Select(e => (JsonNode)new JsonObject
                        {
                            ["type"] = "customer", ["external_id"] = e, ["event_id"] = e, ["fields"] = new JsonObject { ["email"] = e, ["name"] = "Load" },
                        }).ToArray()),
                    };
                    try
                    {
                        using var response = await http.PostAsync($"http://127.0.0.1:{port}/api/v1/changes/crm", new StringContent(batch.ToJsonString()));
                        if (response.StatusCode == HttpStatusCode.Accepted)
                        {
                            emails.ForEach(acked.Add);
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        // The hub is gone: what it did not acknowledge, it never promised.
                    }
                }
            })).ToList();

            await Eventually.TrueAsync(() => acked.Count >= 1500 && _sink.Applied.Count >= 200, "load to build up", TimeSpan.FromSeconds(60));
            await hub.KillAsync();
            await loadStop.CancelAsync();
            await Task.WhenAll(load);
            var deliveredBeforeRestart = _sink.Applied.Count;
            Assert.True(deliveredBeforeRestart < acked.Count, "the kill came while deliveries were still owed");

            await hub.DisposeAsync();
            hub = HubProcess.Start(config, port, TestConfigs.Secrets);
            await hub.WaitUpAsync(http);
            var expected = acked.ToHashSet();
            await Eventually.TrueAsync(() => _sink.Applied.Count >= expected.Count, $"all {expected.Count} acknowledged changes to be delivered", TimeSpan.FromSeconds(120));
            await Task.Delay(500);

            output.WriteLine($"acknowledged {expected.Count}, delivered before the kill {deliveredBeforeRestart}, after the restart {_sink.Applied.Count}, repeated keys answered from the sink's cache {_sink.Repeats}");
            var delivered = _sink.Applied.Select(r => (string)r.Body["fields"]!["email"]!).ToList();
            Assert.Empty(expected.Except(delivered));
            Assert.Equal(delivered.Count, delivered.Distinct().Count());
            Assert.Equal(_sink.Applied.Count, _sink.Applied.Select(r => r.IdempotencyKey).Distinct().Count());
        }
        finally
        {
            await hub.DisposeAsync();
        }
    }
}
