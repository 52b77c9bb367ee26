using System.Net;
using System.Text.Json.Nodes;
using Concord.Testing;

namespace Concord.Acceptance.Tests;

/// <summary>
/// A receiving system that fails for a while: deliveries retry through timeouts, 500s and 429s
/// (honouring Retry-After) and complete in order per record; a 400 goes to the dead letter and
/// succeeds when replayed after the fix.
/// </summary>
public sealed class DeliveryFaultTests : IAsyncLifetime
{
    private RecordingSink _sink = null!;
    private HubHarness _hub = null!;

    public async Task InitializeAsync()
    {
        _sink = await RecordingSink.StartAsync();
        _hub = await HubHarness.StartAsync(TestConfigs.TwoSystems(_sink.Url + "/crm", _sink.Url + "/sink",
            retry: "{ max_attempts: 12, initial_delay: 50ms, max_delay: 300ms, timeout: 500ms }"));
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _sink.DisposeAsync();
    }

    private async Task SendAsync(string id, string email, string name, string eventId)
    {
        var response = await _hub.PostChangesAsync("crm",
            new JsonObject
            {
                ["changes"] = new JsonArray(new JsonObject
                {
                    ["type"] = "customer", ["external_id"] = id, ["event_id"] = eventId,
                    ["fields"] = new JsonObject { ["email"] = email, ["name"] = name },
                }),
            }.ToJsonString());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task ASinkThatTimesOutFailsAndThrottles_GetsEverythingOnce_InOrderPerRecord()
    {
        var calls = 0;
        var firstRetryAfterAt = DateTimeOffset.MinValue;
        _sink.Behavior = request =>
        {
            var n = Interlocked.Increment(ref calls);
            return n switch
            {
                <= 3 => new SinkAnswer(200, Stall: TimeSpan.FromSeconds(2)),
                <= 6 => new SinkAnswer(500, """{"error":"boom"}"""),
                7 => Record429(),
                _ => null,
            };

            SinkAnswer Record429()
            {
                firstRetryAfterAt = DateTimeOffset.UtcNow;
                return new SinkAnswer(429, Headers: new Dictionary<string, string> { ["Retry-After"] = "1" });
            }
        };

        for (var version = 1; version <= 4; version++)
        {
            foreach (var record in new[] { "a", "b", "c" })
            {
                await SendAsync($"c-{record}", $"{record}@example.com", $"{record} v{version}", $"{record}-{version}");
            }
        }

        await Eventually.TrueAsync(_hub.IsQuietAsync, "every delivery to finish", TimeSpan.FromSeconds(60));
        var applied = _sink.Applied.Where(r => r.Body["record_id"] is not null).ToList();
        Assert.Equal(12, applied.Count);
        Assert.Equal(applied.Count, applied.Select(r => r.IdempotencyKey).Distinct().Count());
        foreach (var perRecord in applied.GroupBy(r => (string)r.Body["record_id"]!))
        {
            var versions = perRecord.Select(r => (long)r.Body["version"]!).ToList();
            Assert.Equal(versions.Order(), versions);
        }

        // After the 429 the hub holds every delivery to the system for the second it asked for
        // (a request already on the wire may still land just after the 429 was answered).
        var next = _sink.Requests.Where(r => r.At > firstRetryAfterAt.AddMilliseconds(300)).Min(r => r.At);
        Assert.True(next - firstRetryAfterAt >= TimeSpan.FromMilliseconds(800), $"the next request came {(next - firstRetryAfterAt).TotalMilliseconds:0} ms after a 429 with Retry-After: 1");
        var health = await _hub.GetJsonAsync("/api/v1/health");
        Assert.Equal(0, (int)health["deliveries"]!["dead"]!);
        var log = await _hub.GetJsonAsync("/api/v1/log?system=sink&limit=1000");
        Assert.Contains(log.AsArray(), e => (string?)e!["error"] is { } err && err.Contains("timed out", StringComparison.Ordinal));
        Assert.Contains(log.AsArray(), e => (int?)e!["response_status"] == 429);
    }

    [Fact]
    public async Task ADeadUpsert_OfARecordDeletedSince_IsNotReplayed()
    {
        var broken = true;
        _sink.Behavior = _ => Volatile.Read(ref broken) ? new SinkAnswer(400) : null;
        await SendAsync("c-1", "ann@example.com", "Ann", "e1");
        var dead = await Eventually.GetAsync(async () =>
        {
            var list = (await _hub.GetJsonAsync("/api/v1/deliveries?status=dead")).AsArray();
            return list.Count == 1 ? list[0] : null;
        }, "the delivery to be dead");
        broken = false;
        Assert.Equal(HttpStatusCode.Accepted, (await _hub.PostChangesAsync("crm", """{"type":"customer","external_id":"c-1","event_id":"e2","deleted":true}""")).StatusCode);
        await Eventually.TrueAsync(_hub.IsQuietAsync, "the deletion to be delivered");

        var replay = await _hub.Http.PostAsync($"{_hub.Url}/api/v1/deliveries/{(long)dead!["id"]!}/replay", null);
        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        Assert.Contains("obsolete", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(["delete"], _sink.Applied.Select(r => (string?)r.Body["operation"]));
    }

    [Fact]
    public async Task ABadRequest_IsDeadLettered_AndAReplayAfterTheFixSucceeds()
    {
        var broken = true;
        _sink.Behavior = _ => Volatile.Read(ref broken) ? new SinkAnswer(400, """{"error":"name too long"}""") : null;
        await SendAsync("c-1", "ann@example.com", "Ann", "e1");

        var dead = await Eventually.GetAsync(async () =>
        {
            var list = (await _hub.GetJsonAsync("/api/v1/deliveries?status=dead")).AsArray();
            return list.Count == 1 ? list[0] : null;
        }, "the delivery to be dead");
        Assert.Equal(1, (int)dead!["attempts"]!);
        Assert.Contains("400", (string?)dead["last_error"], StringComparison.Ordinal);

        // The fix; meanwhile the record moved on: version 2 is delivered, the dead version 1 waits.
        broken = false;
        await SendAsync("c-1", "ann@example.com", "Ann Lee", "e2");
        await Eventually.TrueAsync(_hub.IsQuietAsync, "version 2 to be delivered");

        var id = (long)dead["id"]!;
        var replay = await _hub.Http.PostAsync($"{_hub.Url}/api/v1/deliveries/{id}/replay", null);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _hub.Http.PostAsync($"{_hub.Url}/api/v1/deliveries/99999/replay", null)).StatusCode);

        await Eventually.TrueAsync(_hub.IsQuietAsync, "the replay to finish");
        Assert.Equal(HttpStatusCode.Conflict, (await _hub.Http.PostAsync($"{_hub.Url}/api/v1/deliveries/{id}/replay", null)).StatusCode);
        var applied = _sink.Applied.Where(r => r.Body["record_id"] is not null).ToList();
        Assert.Equal([2L, 1L], applied.Select(r => (long)r.Body["version"]!));
        // The replay sent the record as it is now, so the old dead letter did not undo version 2.
        Assert.All(applied, r => Assert.Equal("Ann Lee", (string?)r.Body["fields"]!["name"]));
        Assert.Matches(@"\.r\d+$", applied[1].IdempotencyKey);
        Assert.Empty((await _hub.GetJsonAsync("/api/v1/deliveries?status=dead")).AsArray());
    }
}
