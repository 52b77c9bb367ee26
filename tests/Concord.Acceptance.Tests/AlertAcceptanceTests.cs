using System.Text.Json.Nodes;
using Concord.Testing;

namespace Concord.Acceptance.Tests;

/// <summary>
/// Each shipped alert rule against the sandboxes: its cause brought about for real, exactly one message
/// at the Slack sandbox and one at the SMTP sandbox, then the cause cleared and exactly one resolution at
/// each. A rule is added with one <see cref="AlertScenario"/>.
/// </summary>
public sealed class AlertAcceptanceTests
{
    /// <summary>Stripe answers every call with its outage 503, a customer is sent, and its delivery gives up.</summary>
    private static async Task StripeOutageAsync(AlertStackRig rig)
    {
        rig.Stack.Stripe.Down = true;
        await rig.PostCustomerAsync("c-1", "ann@example.com");
        await rig.DeadDeliveryAsync("stripe");
    }

    /// <summary>Stripe is back and the dead delivery is replayed.</summary>
    private static async Task StripeBackAsync(AlertStackRig rig)
    {
        rig.Stack.Stripe.Down = false;
        await rig.ReplayDeadAsync();
    }

    /// <summary>Two Stripe customers with one email address, each on the same plan: one customer billed twice.</summary>
    private static async Task<(string, string)> DoubleSubscriptionAsync(AlertStackRig rig, string email)
    {
        var stripe = rig.Stack.Stripe;
        var first = await stripe.CreateCustomerAsync(new JsonObject { ["email"] = email, ["name"] = "Acme Corp" });
        var second = await stripe.CreateCustomerAsync(new JsonObject { ["email"] = email.ToUpperInvariant(), ["name"] = "ACME Corporation" });
        await stripe.CreateSubscriptionAsync((string)first["id"]!, "price_pro_monthly", 200_000, "usd", "month");
        await stripe.CreateSubscriptionAsync((string)second["id"]!, "price_pro_monthly", 200_000, "usd", "month");
        return ((string)first["id"]!, (string)second["id"]!);
    }

    /// <summary>Stripe sends <paramref name="count"/> new customers, each with an address.</summary>
    private static Task StripeCustomersAsync(AlertStackRig rig, int from, int count) => Task.WhenAll(Enumerable.Range(from, count).Select(i =>
        rig.Stack.Stripe.CreateCustomerAsync(new JsonObject
        {
            ["email"] = $"buyer{i}@example.com",
            ["name"] = $"Buyer {i}",
            ["address"] = new JsonObject { ["line1"] = $"{i} High Street", ["city"] = "Leeds", ["postal_code"] = $"LS{i} 1AA", ["country"] = "GB" },
        })));

    private static async Task RunAsync(AlertScenario scenario, Func<JsonNode, Task>? check = null)
    {
        await using var rig = await AlertStackRig.StartAsync(scenario.Rule, scenario.Sections);
        var detail = await rig.RunAsync(scenario);
        if (check is not null)
        {
            await check(detail);
        }
    }

    [Fact]
    public Task DeadLetter_OfAStripeDelivery() => RunAsync(
        new AlertScenario("{ rule: dead_letter }", StripeOutageAsync, StripeBackAsync, "system stripe"),
        detail =>
        {
            Assert.StartsWith("1 delivery to stripe gave up", (string?)detail["incident"]!["summary"], StringComparison.Ordinal);
            return Task.CompletedTask;
        });

    [Fact]
    public Task ErrorRate_OfStripe_AndItClearsWhenTheWindowHasNoFailures() => RunAsync(
        new AlertScenario("{ rule: error_rate, systems: [stripe], above: 50%, min_count: 3, window: 4s }", StripeOutageAsync,
            rig =>
            {
                rig.Stack.Stripe.Down = false;
                return Task.CompletedTask;
            },
            "system stripe"),
        detail =>
        {
            Assert.StartsWith("3 of 3 delivery attempts failed in the last 4s (100%, above 50%)", (string?)detail["incident"]!["summary"], StringComparison.Ordinal);
            return Task.CompletedTask;
        });

    [Fact]
    public Task CircuitOpen_ToStripe_UntilADeliveryGetsThrough() => RunAsync(
        new AlertScenario("{ rule: circuit_open, systems: [stripe] }", StripeOutageAsync, StripeBackAsync, "system stripe"));

    [Fact]
    public Task BillingGuardrail_ACustomerBilledTwice_UntilTheFindingIsResolved() => RunAsync(
        new AlertScenario("{ rule: billing_guardrail }",
            async rig => await DoubleSubscriptionAsync(rig, "ap@acme.example"),
            async rig =>
            {
                var finding = (await rig.Hub.GetJsonAsync("/api/v1/findings?kind=double-billing")).AsArray().Single()!;
                using var approved = await rig.Hub.Http.PostAsync($"{rig.Hub.Url}/api/v1/findings/{(string)finding["id"]!}/approve", null);
                Assert.True(approved.IsSuccessStatusCode);
            },
            "subscription "),
        detail =>
        {
            Assert.StartsWith("double-billing (one active subscription per customer and plan)", (string?)detail["incident"]!["summary"], StringComparison.Ordinal);
            return Task.CompletedTask;
        });

    [Fact]
    public Task DuplicatesRising_ManyCustomersHeldTwice_UntilTheRateIsBackToUsual() => RunAsync(
        new AlertScenario("{ rule: duplicates_rising, types: [customer], window: 5s, min_count: 3 }",
            async rig =>
            {
                foreach (var name in new[] { "acme", "globex", "initech" })
                {
                    var stripe = rig.Stack.Stripe;
                    await stripe.CreateCustomerAsync(new JsonObject { ["email"] = $"ap@{name}.example", ["name"] = name });
                    await stripe.CreateCustomerAsync(new JsonObject { ["email"] = $"AP@{name}.example", ["name"] = name.ToUpperInvariant() });
                }
            },
            _ => Task.CompletedTask,
            "type customer"),
        detail =>
        {
            Assert.StartsWith("3 suspected duplicate customer records in the last 5s; usually 0 per 5s", (string?)detail["incident"]!["summary"], StringComparison.Ordinal);
            return Task.CompletedTask;
        });

    [Fact]
    public Task CredentialExpiry_OfTheQuickBooksConnection_UntilItIsRenewed() => RunAsync(
        new AlertScenario("{ rule: credential_expiry, systems: [quickbooks] }",
            async rig =>
            {
                // Intuit's refresh tokens last about 100 days; this connection's ends in three.
                rig.Stack.QuickBooks.RefreshTokenLifetime = TimeSpan.FromDays(3);
                await rig.PostCustomerAsync("c-1", "ann@example.com");
            },
            async rig =>
            {
                rig.Stack.QuickBooks.RefreshTokenLifetime = TimeSpan.FromDays(101);
                rig.Stack.QuickBooks.ExpireAccessTokens();
                await rig.PostCustomerAsync("c-2", "bob@example.com");
            },
            "system quickbooks"),
        detail =>
        {
            Assert.StartsWith("the QuickBooks refresh token of quickbooks expires on ", (string?)detail["incident"]!["summary"], StringComparison.Ordinal);
            return Task.CompletedTask;
        });

    [Fact]
    public Task Silence_OfStripe_AgainstFourWeeksOfTwentyAnHour_UntilItsEventsComeBack() => RunAsync(
        new AlertScenario("{ rule: silence, systems: [stripe] }",
            async rig =>
            {
                // The same hours of the four previous weeks saw 20 Stripe changes an hour; this hub has seen none.
                var now = DateTimeOffset.UtcNow;
                var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
                var history = (from week in Enumerable.Range(1, 4)
                               from back in Enumerable.Range(0, 5)
                               select new Concord.Engine.Storage.TrafficHour("system:stripe", "customer", hour.AddDays(-7 * week).AddHours(-back), 20, 0, 0)).ToList();
                await ((Concord.Engine.Storage.ITrafficStore)rig.Hub.Store).AddTrafficAsync(history, default);
            },
            rig => StripeCustomersAsync(rig, 0, 25),
            "system stripe",
            // The incident's summary follows its cause while it is open ("7 stripe events in 3 h" as events come back),
            // so what it said when it opened is read from the opening message.
            Opening: "(?m)^no stripe events for 3 h; 60 expected"));

    [Fact]
    public Task SchemaDrift_StripeChangesItsCustomers_UntilTheNewShapeIsAccepted() => RunAsync(
        new AlertScenario("{ rule: schema_drift }",
            async rig =>
            {
                await StripeCustomersAsync(rig, 0, 20);
                await Eventually.TrueAsync(() => rig.Hub.Hub.Runtime.Shapes.Shape("stripe", "customer") is { Learned: true }, "Stripe's customer shape learned");
                rig.Stack.Stripe.ChangeApi(customer => customer["address"]?.AsObject().Remove("postal_code"));
                await StripeCustomersAsync(rig, 100, 5);
            },
            async rig =>
            {
                using var accepted = await rig.Hub.Http.PostAsync($"{rig.Hub.Url}/api/v1/schemas/stripe/customer/accept", null);
                Assert.True(accepted.IsSuccessStatusCode);
            },
            "system stripe, type customer"),
        detail =>
        {
            Assert.Equal("stripe customer payloads changed: `address.postal_code` missing (was in 100% of 20)", (string?)detail["incident"]!["summary"]);
            return Task.CompletedTask;
        });

    [Fact]
    public Task HealthBelow_CustomersNotInStripe_UntilTheirDeliveriesGetThrough() => RunAsync(
        new AlertScenario("{ rule: health_below, types: [customer], target: 90% }", StripeOutageAsync, StripeBackAsync, "type customer",
            "health: { every: 10s }"),
        detail =>
        {
            Assert.StartsWith("customer health 0% < 90%: 1 not in stripe", (string?)detail["incident"]!["summary"], StringComparison.Ordinal);
            return Task.CompletedTask;
        });
}
