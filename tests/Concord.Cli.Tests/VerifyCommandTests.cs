using System.Text.Json.Nodes;
using Concord.Sandboxes.Stripe;
using Concord.Testing;
using Xunit.Abstractions;

namespace Concord.Cli.Tests;

/// <summary><c>concord verify</c>: queued in the hub's database, run by the running hub against the Stripe sandbox, printed record by record.</summary>
public sealed class VerifyCommandTests(ITestOutputHelper log) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static readonly Dictionary<string, string> Secrets = new() { ["STRIPE_KEY"] = "sk_test_cli", ["CRM_SECRET"] = "crm-secret" };

    private readonly TempDirectory _dir = new();
    private readonly StripeSandbox _stripe = new("stripe", Secrets["STRIPE_KEY"]);

    public async Task InitializeAsync()
    {
        await _stripe.StartAsync();
        await File.WriteAllTextAsync(_dir.File("concord.yaml"), Yaml());
    }

    public async Task DisposeAsync()
    {
        await _stripe.DisposeAsync();
        _dir.Dispose();
    }

    private string Yaml() => $$"""
        version: 1
        hub:
          data: {{_dir.File("concord.db")}}
        systems:
          crm: { kind: webhook, settings: { secret: { env: CRM_SECRET } } }
          stripe:
            kind: stripe
            settings: { base_url: "{{_stripe.Url}}", api_key: { env: STRIPE_KEY } }
            retry: { max_attempts: 5, initial_delay: 100ms, max_delay: 1s }
        entities:
          customer: { owner: crm, identity: [email] }
        syncs:
          - { system: crm, type: customer, direction: pull }
          - { system: stripe, type: customer, direction: push, fields: [name, email, city] }
        """;

    private Task<(int ExitCode, string Output)> Concord(params string[] args) => CliRunner.RunAsync(_dir.Path, Timeout, args);

    [Fact]
    public async Task Verify_IsRunByTheRunningHub_AndPrintsDriftPerRecord()
    {
        await using var hub = await HubHarness.StartAsync(Yaml(), Secrets);
        foreach (var (name, city) in new[] { ("ann", "London"), ("bob", "Leeds") })
        {
            var change = new JsonObject
            {
                ["type"] = "customer", ["external_id"] = $"crm-{name}",
                ["fields"] = new JsonObject { ["email"] = $"{name}@acme.example", ["name"] = $"{char.ToUpperInvariant(name[0])}{name[1..]} Lee", ["city"] = city },
            };
            using var posted = await hub.PostChangesAsync("crm", change.ToJsonString());
            Assert.True(posted.IsSuccessStatusCode);
        }

        await Eventually.TrueAsync(async () => await hub.IsQuietAsync() && _stripe.Customers.Count == 2, "both customers in Stripe");
        var ann = (string)_stripe.Customers.Single(c => (string?)c["email"] == "ann@acme.example")["id"]!;
        await _stripe.UpdateCustomerAsync(ann, new JsonObject { ["address"] = new JsonObject { ["city"] = "Paris" } });
        var stranger = (string)(await _stripe.CreateCustomerAsync(new JsonObject { ["email"] = "zed@elsewhere.example", ["name"] = "Zed" }))["id"]!;

        var (code, output) = await Concord("verify", "--system", "stripe");
        log.WriteLine(output);

        Assert.True(code == 1, output);
        Assert.Matches(@"stripe/customer: verified \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ — hub links 2, stripe holds 3, compared 2, drifted 2", output);
        Assert.Contains($"field_differs     {ann} (", output, StringComparison.Ordinal);
        Assert.Contains("city: hub \"London\", stripe \"Paris\"", output, StringComparison.Ordinal);
        Assert.Contains($"unknown_to_hub    {stranger}", output, StringComparison.Ordinal);

        var (repairCode, repaired) = await Concord("verify", "--type", "customer", "--repair", "--json");
        Assert.True(repairCode == 1, repaired);
        var report = JsonNode.Parse(repaired)!.AsArray().Single()!;
        Assert.Equal(2, report["drift"]!.AsArray().Count);
        await Eventually.TrueAsync(async () => await hub.IsQuietAsync() && (string?)_stripe.Customer(ann)?["address"]?["city"] == "London", "Ann's city repaired");

        await _stripe.DeleteCustomerAsync(stranger);
        var (cleanCode, clean) = await Concord("verify");
        Assert.True(cleanCode == 0, clean);
        Assert.Contains("compared 2, drifted 0", clean, StringComparison.Ordinal);
    }
}
