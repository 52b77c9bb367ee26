using System.Diagnostics;
using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Engine.Storage;
using Concord.Server;
using Concord.Server.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Concord.Cli.Demo;

/// <summary>
/// <c>concord demo</c>: starts HubSpot, Stripe, QuickBooks and Slack sandboxes (real HTTP servers
/// that speak each vendor's API) and the hub, then plays a short story that shows the point of
/// Concord, checking each claim against what the sandboxes actually hold.
/// </summary>
internal sealed class DemoStory(TextWriter output, int port)
{
    /// <summary>The dashboard user the demo creates.</summary>
    public const string DemoUser = "demo";

    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(20);
    private int _failures;
    private Leftovers? _leftovers;

    public async Task<int> RunAsync(bool exitAfterStory, CancellationToken cancellationToken)
    {
        var dir = Path.Combine(Directory.GetCurrentDirectory(), ".concord", "demo");
        Directory.CreateDirectory(dir);
        foreach (var stale in Directory.GetFiles(dir, "demo.db*"))
        {
            File.Delete(stale);
        }

        var hubUrl = $"http://127.0.0.1:{port}";
        await using var vendors = await DemoSandboxes.StartAsync(hubUrl);
        using var template = new StreamReader(typeof(DemoStory).Assembly.GetManifestResourceStream("Concord.Cli.Templates.demo.yaml")!);
        var yaml = vendors.Configure(await template.ReadToEndAsync(cancellationToken), hubUrl, port);
        var configPath = Path.Combine(dir, "concord.yaml");
        await File.WriteAllTextAsync(configPath, yaml, cancellationToken);
        var secrets = vendors.Secrets;
        var (config, problems) = HubServer.LoadConfig(configPath, secrets.GetValueOrDefault);
        if (problems.Any(p => p.Severity == ProblemSeverity.Error))
        {
            problems.ToList().ForEach(p => output.WriteLine(p));
            return 1;
        }

        RunningHub hub;
        try
        {
            hub = await HubServer.StartAsync(new HubServerOptions
            {
                Config = config,
                ConfigPath = configPath,
                BaseDirectory = dir,
                Environment = secrets.GetValueOrDefault,
                LogLevel = LogLevel.Error,
            }, cancellationToken);
        }
        catch (IOException ex)
        {
            output.WriteLine($"Could not listen on 127.0.0.1:{port}: {ex.Message}. Is another hub running? Try `concord demo --port 5081`.");
            return 1;
        }

        await using (hub)
        {
            vendors.SendWebhooksTo(hub.Url);
            var (_, apiKey) = await hub.ApiKeys.CreateAsync("demo", cancellationToken);
            // An operator, so a newcomer can fix what the story breaks (replay, merge) from the browser; the password is fresh each run.
            var demoPassword = DashboardUsers.GeneratePassword();
            await hub.Services.GetRequiredService<DashboardUsers>().CreateAsync(DemoUser, UserRole.Operator, demoPassword, cancellationToken);

            output.WriteLine("Concord demo: HubSpot, Stripe, QuickBooks Online and Slack, kept in sync by one hub.");
            output.WriteLine("Each is a local sandbox that speaks the vendor's own API (paths, auth, errors, webhook signatures).");
            output.WriteLine();
            output.WriteLine($"  hub         {hub.Url}");
            output.WriteLine($"  hubspot     {vendors.HubSpot.Url}   the CRM; source of truth for customers");
            output.WriteLine($"  stripe      {vendors.Stripe.Url}   billing; owns invoices and payments");
            output.WriteLine($"  quickbooks  {vendors.QuickBooks.Url}   accounting; receives customers, invoices, payments");
            output.WriteLine($"  slack       {vendors.Slack.Url}   #general hears about invoices, payments and drafted invoices");
            output.WriteLine();

            // Each poller's first run marks where its feed starts; the story begins after that.
            await Until(() => hub.Runtime.Pollers.Values.All(p => p.LastPolledAt is not null) ? hub : null, cancellationToken);

            var clock = Stopwatch.StartNew();
            await PlayAsync(hub, vendors, cancellationToken);

            // The hub measured data health when it started, before the story; measure again so the dashboard and
            // the API show the story's figures at once rather than after the last measurement ages out.
            await hub.Runtime.DataHealth.MeasureAsync(cancellationToken);
            output.WriteLine();
            output.WriteLine(_failures == 0
                ? $"The story took {clock.Elapsed.TotalSeconds:0.0} s. Everything above was checked against the sandboxes' own records."
                : $"{_failures} step(s) did not turn out as expected (see ✗ above).");
            output.WriteLine();
            output.WriteLine($"Dashboard: {hub.Url}/dashboard   sign in as {DemoUser} with password {demoPassword}");
            if (_leftovers is { } left)
            {
                output.WriteLine("Fix it in the dashboard:");
                output.WriteLine($"  {hub.Url}/dashboard/review   Acme twice: \"ACME Corporation\" beside \"Acme Corp\", field by field (finding {left.LookAlike}); merge them");
                output.WriteLine($"  {hub.Url}/dashboard/incidents   Acme billed twice (billing_guardrail): it resolves when finding {left.DoubleBilling} closes,");
                output.WriteLine("      when one of the two subscriptions is cancelled: Review, beside the finding, Cancel a subscription");
                output.WriteLine($"  {hub.Url}/dashboard/deliveries?status=dead&system=stripe   Dan never reached Stripe: replay delivery {left.DeadDelivery.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
                output.WriteLine("      (Stripe is back, so he arrives, and the dead_letter incident resolves)");
            }

            output.WriteLine($"API key (demo): {apiKey}");
            output.WriteLine("Look around:");
            output.WriteLine($"  curl -H 'Authorization: Bearer {apiKey}' {hub.Url}/api/v1/health");
            output.WriteLine($"  curl -H 'Authorization: Bearer {apiKey}' '{hub.Url}/api/v1/records/customer?q=jane'");
            output.WriteLine($"  curl -H 'Authorization: Bearer {apiKey}' '{hub.Url}/api/v1/findings'   what looks wrong: duplicates held by a tool, look-alikes to review");
            output.WriteLine($"  curl -H 'Authorization: Bearer {apiKey}' '{hub.Url}/api/v1/log?system=quickbooks&limit=20'");
            output.WriteLine($"  curl -H 'Authorization: Bearer {apiKey}' '{hub.Url}/api/v1/runs?flow=invoice-from-text'   flow runs; /api/v1/runs/<id> shows each step");
            output.WriteLine($"  curl -H 'Authorization: Bearer {apiKey}' '{hub.Url}/api/v1/incidents?status=resolved'   alerts: what broke, when, and when it cleared");
            output.WriteLine($"  curl -H 'Authorization: Bearer {apiKey}' -o map.svg {hub.Url}/map   the integration map, live (open map.svg in a browser)");
            output.WriteLine($"  curl -H 'Authorization: Bearer {apiKey}' {hub.Url}/metrics   Prometheus metrics, data health included");
            output.WriteLine($"  {hub.Url}/openapi/v1.json   the API description");
            output.WriteLine($"  {configPath}   the demo's concord.yaml");

            if (!exitAfterStory && _failures == 0)
            {
                output.WriteLine();
                output.WriteLine("The hub keeps running; press Ctrl+C to stop.");
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }

        return _failures == 0 ? 0 : 1;
    }

    private async Task PlayAsync(RunningHub hub, DemoSandboxes vendors, CancellationToken ct)
    {
        var (hubspot, stripe, quickbooks, slack) = (vendors.HubSpot, vendors.Stripe, vendors.QuickBooks, vendors.Slack);
        static bool Same(string? a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
        JsonObject? StripeCustomer(string email) => stripe.Customers.FirstOrDefault(c => Same((string?)c["email"], email));
        JsonObject? BooksCustomer(string email) => quickbooks.Customers.FirstOrDefault(c => Same((string?)c["PrimaryEmailAddr"]?["Address"], email));

        output.WriteLine("1. Maria adds a new customer to HubSpot, once: Jane Doe <Jane.Doe@acme.example>.");
        var jane = await hubspot.CreateContactAsync("Jane.Doe@acme.example", "Jane", "Doe");
        var janeInStripe = await Until(() => StripeCustomer("jane.doe@acme.example"), ct);
        Check(janeInStripe is not null, $"Stripe has her as {janeInStripe?["id"]} (name \"{janeInStripe?["name"]}\")");
        var janeInBooks = await Until(() => BooksCustomer("jane.doe@acme.example"), ct);
        Check(janeInBooks is not null, $"QuickBooks has her as customer {janeInBooks?["Id"]} (\"{janeInBooks?["DisplayName"]}\")");
        if (janeInStripe is null || janeInBooks is null)
        {
            return;
        }

        output.WriteLine("2. Someone in billing adds her to Stripe again, typing \"jane.doe@ACME.example\".");
        var again = await stripe.CreateCustomerAsync(new JsonObject { ["email"] = "jane.doe@ACME.example", ["name"] = "Jane Doe" });
        var linked = await Until(async () =>
        {
            var found = await hub.Store.SearchAsync("customer", (string)again["id"]!, 5, ct);
            return found.Count == 1 ? found[0] : null;
        }, ct);
        var customers = (await hub.Store.GetHealthAsync(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), ct)).RecordsByType.GetValueOrDefault("customer");
        Check(linked is not null && customers == 1 && hubspot.All("contacts").Count == 1 && quickbooks.Customers.Count == 1,
            $"still one customer: {again["id"]} is linked to the same golden record (same normalised email); HubSpot and QuickBooks were not given a duplicate");
        var twice = await Until(async () => (await hub.Store.QueryFindingsAsync(new FindingQuery(Kind: "duplicate-in-system"), ct)).FirstOrDefault(), ct);
        Check(twice is not null, $"and the hub reports it: \"{twice?.Message}\" (GET /api/v1/findings)");

        output.WriteLine("3. Stripe bills Jane $1,200.00 for a website redesign.");
        var draft = await stripe.CreateInvoiceAsync((string)janeInStripe["id"]!, 120_000, "usd", "Website redesign");
        var invoice = await stripe.FinalizeInvoiceAsync((string)draft["id"]!);
        var number = (string?)invoice["number"];
        var invoiceInBooks = await Until(() => quickbooks.Invoices.FirstOrDefault(i =>
            (string?)i["CustomerRef"]?["value"] == (string?)janeInBooks["Id"] && i["TotalAmt"]?.GetValue<decimal>() == 1200m && (string?)i["DocNumber"] == number), ct);
        Check(invoiceInBooks is not null,
            $"QuickBooks has invoice {number} for 1,200.00, billed to its own customer {janeInBooks["Id"]} (Stripe calls her {janeInStripe["id"]})");
        var invoiceNote = await Until(() => slack.Messages().FirstOrDefault(m => number is not null && m.Text.Contains(number, StringComparison.Ordinal)), ct);
        Check(invoiceNote is not null, $"#general was told: \"{invoiceNote?.Text}\"");

        output.WriteLine("4. Jane pays the invoice in Stripe.");
        await stripe.PayInvoiceAsync((string)draft["id"]!);
        var paymentInBooks = await Until(() => quickbooks.Payments.FirstOrDefault(p =>
            (string?)p["CustomerRef"]?["value"] == (string?)janeInBooks["Id"] && p["TotalAmt"]?.GetValue<decimal>() == 1200m), ct);
        Check(paymentInBooks is not null, $"QuickBooks recorded payment {paymentInBooks?["Id"]} of 1,200.00 from customer {janeInBooks["Id"]}");
        var paidNote = await Until(() => slack.Messages().LastOrDefault(m => m.Text.Contains("paid", StringComparison.OrdinalIgnoreCase) || m.Text.Contains("succeeded", StringComparison.OrdinalIgnoreCase)), ct);
        Check(paidNote is not null, $"#general was told: \"{paidNote?.Text}\"");

        output.WriteLine("5. QuickBooks goes down for 4 seconds. Meanwhile HubSpot changes Jane's phone and adds Bob Smith.");
        quickbooks.Down = true;
        var downAt = Stopwatch.StartNew();
        await hubspot.UpdateAsync("contacts", jane.Id, new Dictionary<string, string?> { ["phone"] = "+1 415 555 0100" });
        await hubspot.CreateContactAsync("bob@globex.example", "Bob", "Smith");
        var stripeGotBoth = await Until(() =>
            StripeCustomer("bob@globex.example") is not null && (string?)stripe.Customer((string)janeInStripe["id"]!)?["phone"] == "+1 415 555 0100" ? stripe : null, ct);
        Check(stripeGotBoth is not null, "Stripe got both straight away");
        await Task.Delay(TimeSpan.FromSeconds(4) - downAt.Elapsed, ct).ContinueWith(_ => { }, TaskScheduler.Default);
        var refused = quickbooks.Refused;
        var circuit = hub.Runtime.Dispatcher("quickbooks")!.Breaker.Openings;
        output.WriteLine($"   … QuickBooks answered 503 to {refused} call(s); its circuit breaker opened {circuit} time(s); nothing was dropped");
        quickbooks.Down = false;
        var caughtUp = await Until(() =>
            BooksCustomer("bob@globex.example") is not null && (string?)BooksCustomer("jane.doe@acme.example")?["PrimaryPhone"]?["FreeFormNumber"] == "+1 415 555 0100"
                ? quickbooks : null, ct);
        var dead = await hub.Store.QueryDeliveriesAsync(new DeliveryQuery(DeliveryStatus.Dead), ct);
        Check(caughtUp is not null && dead.Count == 0 && quickbooks.Customers.Count == 2,
            "QuickBooks came back and caught up by itself: Jane's phone and Bob arrived, 2 customers, nothing lost or doubled");
        var alerted = await Until(() => slack.Messages().FirstOrDefault(m => m.Text.StartsWith(":rotating_light:", StringComparison.Ordinal) && m.Text.Contains("quickbooks", StringComparison.Ordinal)), ct);
        var cleared = await Until(() => slack.Messages().FirstOrDefault(m => m.Text.StartsWith(":white_check_mark: Resolved", StringComparison.Ordinal) && m.Text.Contains("quickbooks", StringComparison.Ordinal)), ct);
        Check(alerted is not null && cleared is not null,
            $"#general was alerted (\"{FirstLine(alerted?.Text)}\") and told when it cleared (\"{FirstLine(cleared?.Text)}\"); GET /api/v1/incidents");

        output.WriteLine("6. HubSpot's rate limit bites: its next 3 calls answer 429 (Retry-After: 1). Billing adds Carol King in Stripe.");
        var refusedBefore = hubspot.Refused;
        hubspot.Throttle(3, TimeSpan.FromSeconds(1));
        await stripe.CreateCustomerAsync(new JsonObject { ["email"] = "carol@initech.example", ["name"] = "Carol King" });
        var carol = await Until(() => hubspot.Find("contacts", c => Same(c["email"], "carol@initech.example")), ct);
        Check(carol is not null && hubspot.All("contacts").Count(c => Same(c["email"], "carol@initech.example")) == 1,
            $"HubSpot refused {hubspot.Refused - refusedBefore} call(s) with 429, the hub waited as told, and Carol arrived once (contact {carol?.Id})");

        output.WriteLine("7. Billing adds Jane yet again, from her personal address this time: \"Jane Doe\" <janedoe.home@gmail.com>, +1 (415) 555-0100.");
        var booksBefore = quickbooks.Customers.Count;
        var third = await stripe.CreateCustomerAsync(new JsonObject { ["email"] = "janedoe.home@gmail.com", ["name"] = "Jane Doe", ["phone"] = "+1 (415) 555-0100" });
        var merged = await Until(async () =>
        {
            var found = await hub.Store.SearchAsync("customer", (string)third["id"]!, 5, ct);
            return found.Count == 1 && found[0].Id == linked!.Id ? (await hub.Store.GetMergesAsync(linked.Id, ct)).FirstOrDefault(m => m.By == "match") : null;
        }, ct);
        var why = merged is null ? null : hub.Runtime.Matcher.Explain(
            System.Text.Json.JsonSerializer.Deserialize<Core.Records.GoldenRecord>(merged.Absorbed, Core.Records.JsonText.Options)!,
            System.Text.Json.JsonSerializer.Deserialize<Core.Records.GoldenRecord>(merged.SurvivorBefore, Core.Records.JsonText.Options)!);
        Check(merged is not null && quickbooks.Customers.Count == booksBefore,
            string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"no shared email, but the matcher merged {third["id"]} into Jane (match probability {why?.Probability:0.000}; agreeing: {why?.Agreeing}); undo: POST /api/v1/merges/{merged?.Id}/undo"));

        const string sentence = "Invoice Carol King $750 for an onboarding workshop, due in 10 days";
        output.WriteLine($"8. Maria types one sentence into the invoice-from-text flow: \"{sentence}\".");
        var carolInStripe = StripeCustomer("carol@initech.example");
        var started = await hub.Runtime.Flows.StartManualAsync("invoice-from-text", new JsonObject { ["text"] = sentence }, "demo", ct);
        var run = await hub.Runtime.Flows.WaitForRunAsync(started.Id, StepTimeout, ct);
        var drafted = stripe.Invoices.FirstOrDefault(i => carolInStripe is not null && (string?)i["customer"] == (string?)carolInStripe["id"] && (string?)i["status"] == "draft");
        Check(run?.Status == Engine.Storage.FlowRunStatus.Succeeded && drafted is not null && drafted["amount_due"]?.GetValue<long>() == 75_000,
            $"run {started.Id} {run?.Status.ToString().ToLowerInvariant()}: Stripe holds draft invoice {drafted?["id"]} for Carol ({carolInStripe?["id"]}), USD 750.00, \"{drafted?["description"]}\"");
        var draftNote = await Until(() => slack.Messages().FirstOrDefault(m => m.Text.StartsWith("Draft invoice for Carol King", StringComparison.Ordinal)), ct);
        Check(draftNote is not null, $"#general was told: \"{draftNote?.Text}\"; every step is in the run history (GET /api/v1/runs/{started.Id})");

        _leftovers = await LeaveThingsToFixAsync(hub, vendors, ct);
    }

    /// <summary>
    /// The last three steps break things the way they break in a real business and leave them broken, so a
    /// newcomer has something to find and fix in the dashboard: Acme set up twice and billed twice, and a
    /// customer who never reached Stripe because it was down.
    /// </summary>
    private async Task<Leftovers?> LeaveThingsToFixAsync(RunningHub hub, DemoSandboxes vendors, CancellationToken ct)
    {
        var (hubspot, stripe, quickbooks, slack) = (vendors.HubSpot, vendors.Stripe, vendors.QuickBooks, vendors.Slack);
        static bool Same(string? a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
        JsonObject? StripeCustomer(string email) => stripe.Customers.FirstOrDefault(c => Same((string?)c["email"], email));
        JsonObject? BooksCustomer(string email) => quickbooks.Customers.FirstOrDefault(c => Same((string?)c["PrimaryEmailAddr"]?["Address"], email));
        JsonObject AcmeAddress() => new() { ["line1"] = "1 Industrial Way", ["city"] = "Springfield", ["postal_code"] = "62701", ["country"] = "US" };

        output.WriteLine("9. Finance and operations each set Acme up in Stripe, as \"Acme Corp\" <ap@acme.example> and \"ACME Corp\" <AP@acme.example>,");
        output.WriteLine("   and each subscribes it to Pro at $2,000 a month.");
        var byFinance = await stripe.CreateCustomerAsync(new JsonObject { ["email"] = "ap@acme.example", ["name"] = "Acme Corp", ["address"] = AcmeAddress() });
        var byOperations = await stripe.CreateCustomerAsync(new JsonObject { ["email"] = "AP@acme.example", ["name"] = "ACME Corp", ["address"] = AcmeAddress() });
        var acme = await Until(async () =>
        {
            var first = await hub.Store.SearchAsync("customer", (string)byFinance["id"]!, 5, ct);
            var second = await hub.Store.SearchAsync("customer", (string)byOperations["id"]!, 5, ct);
            return first.Count == 1 && second.Count == 1 && first[0].Id == second[0].Id ? first[0] : null;
        }, ct);
        var heldTwice = acme is null ? null : await Until(async () =>
            (await hub.Store.QueryFindingsAsync(new FindingQuery(Kind: "duplicate-in-system", RecordId: acme.Id), ct)).FirstOrDefault(f => f.System == "stripe"), ct);
        Check(acme is not null && heldTwice is not null, $"one Acme in the hub (one email), and it says: \"{heldTwice?.Message}\"");
        await stripe.CreateSubscriptionAsync((string)byFinance["id"]!, "price_pro_monthly", 200_000, "usd", "month");
        await stripe.CreateSubscriptionAsync((string)byOperations["id"]!, "price_pro_monthly", 200_000, "usd", "month");
        var billedTwice = await Until(async () => (await hub.Store.QueryFindingsAsync(new FindingQuery(Kind: "double-billing"), ct)).FirstOrDefault(), ct);
        Check(billedTwice?.Severity == "alert", $"and raises an alert: \"{billedTwice?.Message}\"");
        var billingIncident = await Until(async () => (await hub.Store.QueryIncidentsAsync(new IncidentQuery(IncidentStatus.Open, "billing_guardrail"), ct)).FirstOrDefault(), ct);
        var billingNote = await Until(() => slack.Messages().FirstOrDefault(m => m.Text.StartsWith(":rotating_light: *billing_guardrail*", StringComparison.Ordinal)), ct);
        Check(billingIncident is not null && billingNote is not null, $"incident {billingIncident?.Id} is open and #general was alerted (\"{FirstLine(billingNote?.Text)}\")");
        if (acme is null || billedTwice is null || billingIncident is null)
        {
            return null;
        }

        output.WriteLine("10. Sales adds Acme to HubSpot again, as \"ACME Corporation\" <purchasing@acme.example>, at the same street address and zip code.");
        var inHubSpot = await hubspot.CreateAsync("contacts", new Dictionary<string, string?>
        {
            ["email"] = "purchasing@acme.example", ["firstname"] = "ACME", ["lastname"] = "Corporation",
            ["address"] = "1 Industrial Way", ["zip"] = "62701",
        });
        var lookAlike = await Until(async () =>
            (await hub.Store.QueryFindingsAsync(new FindingQuery(Kind: "possible-duplicate", RecordId: acme.Id), ct)).FirstOrDefault(), ct);
        var spread = await Until(() => StripeCustomer("purchasing@acme.example") is { } copy && BooksCustomer("purchasing@acme.example") is not null ? copy : null, ct);
        var stillTwo = lookAlike is not null && await hub.Store.GetRecordAsync(lookAlike.RecordId, ct) is { Deleted: false } && await hub.Store.GetRecordAsync(lookAlike.OtherRecordId!, ct) is { Deleted: false };
        Check(lookAlike is not null && stillTwo,
            $"HubSpot contact {inHubSpot.Id} shares no email with Acme, so it is not merged but put up for review (GET /api/v1/review): \"{lookAlike?.Message}\"");
        Check(spread is not null, $"meanwhile Stripe ({spread?["id"]}) and QuickBooks were sent it as a new customer, as happens until someone merges the two");

        output.WriteLine("11. Stripe goes down. Meanwhile HubSpot adds Dan Brown <dan@hooli.example>.");
        var refusedBefore = stripe.Refused;
        var down = Stopwatch.StartNew();
        stripe.Down = true;
        var dan = await hubspot.CreateContactAsync("dan@hooli.example", "Dan", "Brown");
        var gaveUp = await Until(async () =>
        {
            var found = await hub.Store.SearchAsync("customer", dan.Id, 5, ct);
            return found.Count == 1 ? (await hub.Store.QueryDeliveriesAsync(new DeliveryQuery(DeliveryStatus.Dead, "stripe", found[0].Id), ct)).FirstOrDefault() : null;
        }, ct);
        stripe.Down = false;
        output.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"   … Stripe answered 503 to {stripe.Refused - refusedBefore} call(s) and came back after {down.Elapsed.TotalSeconds:0.0} s"));
        Check(gaveUp is not null, $"the hub tried delivery {gaveUp?.Id} (Dan to Stripe) {gaveUp?.Attempts} times, then gave up: a dead letter, kept with what was sent (\"{gaveUp?.LastError}\")");
        var deadNote = await Until(() => slack.Messages().FirstOrDefault(m => m.Text.StartsWith(":rotating_light: *dead_letter*", StringComparison.Ordinal) && m.Text.Contains("stripe", StringComparison.Ordinal)), ct);
        var danInBooks = await Until(() => BooksCustomer("dan@hooli.example"), ct);
        Check(deadNote is not null && danInBooks is not null && StripeCustomer("dan@hooli.example") is null,
            $"#general was alerted (\"{FirstLine(deadNote?.Text)}\"); QuickBooks has Dan, Stripe does not: a dead delivery waits for a person to replay it");
        return gaveUp is null || lookAlike is null ? null : new Leftovers(lookAlike.Id, billedTwice.Id, gaveUp.Id);
    }

    /// <summary>What the story leaves for the newcomer to fix: a look-alike to review, the double billing, the dead delivery.</summary>
    private sealed record Leftovers(string LookAlike, string DoubleBilling, long DeadDelivery);

    private static string FirstLine(string? text) => text is null ? "" : text.Split('\n')[0];

    private void Check(bool ok, string what)
    {
        output.WriteLine($"   {(ok ? "✓" : "✗")} {what}");
        if (!ok)
        {
            _failures++;
        }
    }

    private static Task<T?> Until<T>(Func<T?> probe, CancellationToken ct) where T : class => Until(() => Task.FromResult(probe()), ct);

    private static async Task<T?> Until<T>(Func<Task<T?>> probe, CancellationToken ct) where T : class
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StepTimeout)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(50, ct);
        }

        return null;
    }

}
