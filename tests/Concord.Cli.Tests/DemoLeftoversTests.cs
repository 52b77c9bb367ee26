using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Testing;

namespace Concord.Cli.Tests;

/// <summary>
/// What <c>concord demo</c> leaves for a newcomer to fix, found and fixed over the API calls the dashboard's
/// buttons make: Acme twice (approve the look-alike: a merge), Acme billed twice (approve the alert finding)
/// and Dan's delivery that died while Stripe was down (replay it). Each fix shows in the hub's own state,
/// and the incidents resolve.
/// </summary>
public sealed class DemoLeftoversTests
{
    [Fact]
    public async Task TheDemosLeftovers_AreThere_AndEachIsFixedWithTheDashboardsCalls()
    {
        await using var demo = await DemoProcess.StartAsync();
        Assert.DoesNotContain("✗", demo.Output, StringComparison.Ordinal);
        Assert.Contains($"{demo.Url}/dashboard/review", demo.Output, StringComparison.Ordinal);
        Assert.Contains($"{demo.Url}/dashboard/incidents", demo.Output, StringComparison.Ordinal);
        Assert.Contains($"{demo.Url}/dashboard/deliveries?status=dead&system=stripe", demo.Output, StringComparison.Ordinal);

        // Found: what the story left behind.
        var open = await demo.GetJsonAsync("/api/v1/incidents?status=open");
        Assert.Contains(open.AsArray(), i => (string?)i!["rule"] == "billing_guardrail");
        Assert.Contains(open.AsArray(), i => (string?)i!["rule"] == "dead_letter" && (string?)i["key"] == "stripe");
        var lookAlike = Assert.Single((await demo.GetJsonAsync("/api/v1/findings?kind=possible-duplicate")).AsArray())!;
        var billedTwice = Assert.Single((await demo.GetJsonAsync("/api/v1/findings?kind=double-billing")).AsArray())!;
        Assert.Equal("alert", (string?)billedTwice["severity"]);
        var dead = Assert.Single((await demo.GetJsonAsync("/api/v1/deliveries?status=dead&system=stripe")).AsArray())!;
        var dan = await demo.GetJsonAsync($"/api/v1/records/customer/{(string?)dead["record_id"]}");
        Assert.Contains("dan@hooli.example", dan["fields"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Links(dan), l => l.StartsWith("stripe:", StringComparison.Ordinal));

        // Acme twice: approving the look-alike merges "ACME Corporation" into Acme, with its HubSpot contact.
        var approved = await demo.PostAsync($"/api/v1/findings/{(string?)lookAlike["id"]}/approve");
        var survivor = (string?)approved["merge"]?["survivor_id"];
        Assert.NotNull(survivor);
        var acme = await demo.GetJsonAsync($"/api/v1/records/customer/{survivor}");
        Assert.Equal(2, Links(acme).Count(l => l.StartsWith("hubspot:", StringComparison.Ordinal)));
        Assert.Empty((await demo.GetJsonAsync("/api/v1/review")).AsArray());

        // Acme billed twice: acknowledging the alert finding closes it; the incident resolves after resolve_after evaluations.
        await demo.PostAsync($"/api/v1/findings/{(string?)billedTwice["id"]}/approve");
        Assert.Empty((await demo.GetJsonAsync("/api/v1/findings?kind=double-billing")).AsArray());

        // Dan: replaying the dead delivery, with Stripe back, gets him there.
        var replayed = await demo.PostAsync($"/api/v1/deliveries/{((long)dead["id"]!).ToString(CultureInfo.InvariantCulture)}/replay");
        Assert.Equal("requeued", (string?)replayed["status"]);
        await Eventually.TrueAsync(async () =>
        {
            var toStripe = (await demo.GetJsonAsync($"/api/v1/deliveries?system=stripe&record={(string?)dead["record_id"]}")).AsArray();
            return toStripe.All(d => (string?)d!["status"] == "succeeded")
                && Links(await demo.GetJsonAsync($"/api/v1/records/customer/{(string?)dead["record_id"]}")).Any(l => l.StartsWith("stripe:cus_", StringComparison.Ordinal));
        }, "Dan delivered to Stripe and linked to his Stripe customer", TimeSpan.FromSeconds(30));
        Assert.Empty((await demo.GetJsonAsync("/api/v1/deliveries?status=dead")).AsArray());

        await Eventually.TrueAsync(async () =>
        {
            var resolved = (await demo.GetJsonAsync("/api/v1/incidents?status=resolved")).AsArray();
            return resolved.Any(i => (string?)i!["rule"] == "billing_guardrail") && resolved.Any(i => (string?)i!["rule"] == "dead_letter" && (string?)i["key"] == "stripe");
        }, "the billing_guardrail and dead_letter incidents to resolve", TimeSpan.FromSeconds(30));
        var stillOpen = (await demo.GetJsonAsync("/api/v1/incidents?status=open")).AsArray();
        Assert.DoesNotContain(stillOpen, i => (string?)i!["rule"] is "billing_guardrail" or "dead_letter");
    }

    private static List<string> Links(JsonNode record) =>
        record["links"]!.AsArray().Select(l => $"{(string?)l!["system"]}:{(string?)l["external_id"]}").ToList();
}
