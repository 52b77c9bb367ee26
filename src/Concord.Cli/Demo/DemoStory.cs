using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Engine.Storage;
using Concord.Sandboxes;
using Concord.Server;
using Microsoft.Extensions.Logging;

namespace Concord.Cli.Demo;

/// <summary>
/// <c>concord demo</c>: starts a CRM, billing and accounting sandbox (real HTTP servers with their
/// own records) and the hub, then plays a short story that shows the point of Concord, checking
/// each claim against what the sandboxes actually hold.
/// </summary>
internal sealed class DemoStory(TextWriter output, int port)
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(20);
    private int _failures;

    public async Task<int> RunAsync(bool exitAfterStory, CancellationToken cancellationToken)
    {
        var dir = Path.Combine(Directory.GetCurrentDirectory(), ".concord", "demo");
        Directory.CreateDirectory(dir);
        foreach (var stale in Directory.GetFiles(dir, "demo.db*"))
        {
            File.Delete(stale);
        }

        var secrets = new Dictionary<string, string>
        {
            ["DEMO_DELIVERY_SECRET"] = NewSecret(),
            ["DEMO_CRM_WEBHOOK_SECRET"] = NewSecret(),
            ["DEMO_BILLING_WEBHOOK_SECRET"] = NewSecret(),
        };
        await using var crm = new SystemSandbox("crm", "crm-", secrets["DEMO_CRM_WEBHOOK_SECRET"], secrets["DEMO_DELIVERY_SECRET"]);
        await using var billing = new SystemSandbox("billing", "cus_", secrets["DEMO_BILLING_WEBHOOK_SECRET"], secrets["DEMO_DELIVERY_SECRET"]);
        await using var accounting = new SystemSandbox("accounting", "QB-", NewSecret(), secrets["DEMO_DELIVERY_SECRET"]);
        await crm.StartAsync();
        await billing.StartAsync();
        await accounting.StartAsync();

        using var template = new StreamReader(typeof(DemoStory).Assembly.GetManifestResourceStream("Concord.Cli.Templates.demo.yaml")!);
        var yaml = (await template.ReadToEndAsync(cancellationToken))
            .Replace("{crm_url}", crm.DeliveryUrl, StringComparison.Ordinal)
            .Replace("{billing_url}", billing.DeliveryUrl, StringComparison.Ordinal)
            .Replace("{accounting_url}", accounting.DeliveryUrl, StringComparison.Ordinal)
            .Replace("127.0.0.1:5080", $"127.0.0.1:{port}", StringComparison.Ordinal);
        var configPath = Path.Combine(dir, "concord.yaml");
        await File.WriteAllTextAsync(configPath, yaml, cancellationToken);
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
            crm.HubUrl = billing.HubUrl = accounting.HubUrl = hub.Url;
            var (_, apiKey) = await hub.ApiKeys.CreateAsync("demo", cancellationToken);

            output.WriteLine("Concord demo: a CRM, billing and accounting, kept in sync by one hub.");
            output.WriteLine();
            output.WriteLine($"  hub         {hub.Url}");
            output.WriteLine($"  crm         {crm.Url}   sandbox; system of record for customers");
            output.WriteLine($"  billing     {billing.Url}   sandbox; owns subscription_status");
            output.WriteLine($"  accounting  {accounting.Url}   sandbox; receives customers");
            output.WriteLine();

            var clock = Stopwatch.StartNew();
            await PlayAsync(hub, crm, billing, accounting, cancellationToken);
            output.WriteLine();
            output.WriteLine(_failures == 0
                ? $"The story took {clock.Elapsed.TotalSeconds:0.0} s. Everything above was checked against the sandboxes' own records."
                : $"{_failures} step(s) did not turn out as expected (see ✗ above).");
            output.WriteLine();
            output.WriteLine($"API key (demo): {apiKey}");
            output.WriteLine("Look around:");
            output.WriteLine($"  curl -H 'Authorization: Bearer {apiKey}' {hub.Url}/api/v1/health");
            output.WriteLine($"  curl -H 'Authorization: Bearer {apiKey}' '{hub.Url}/api/v1/records/customer?q=jane'");
            output.WriteLine($"  curl -H 'Authorization: Bearer {apiKey}' '{hub.Url}/api/v1/log?system=billing&limit=20'");
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

    private async Task PlayAsync(RunningHub hub, SystemSandbox crm, SystemSandbox billing, SystemSandbox accounting, CancellationToken ct)
    {
        output.WriteLine("1. Maria enters a new customer in the CRM, once: Jane Doe <Jane.Doe@acme.example>, Acme Corp.");
        var jane = await crm.CreateAsync("customer", new JsonObject { ["name"] = "Jane Doe", ["email"] = "Jane.Doe@acme.example", ["company"] = "Acme Corp" }, ct);
        var inBilling = await Until(() => billing.Find("customer", r => r.Field("email") == "Jane.Doe@acme.example"), ct);
        Check(inBilling is not null, $"billing has her as {inBilling?.Id}");
        var inAccounting = await Until(() => accounting.Find("customer", r => r.Field("email") == "Jane.Doe@acme.example"), ct);
        Check(inAccounting is not null, $"accounting has her as {inAccounting?.Id}");
        if (inBilling is null)
        {
            return;
        }

        output.WriteLine("2. Billing starts her subscription (billing owns subscription_status).");
        await billing.UpdateAsync(inBilling.Id, new JsonObject { ["subscription_status"] = "active" }, ct);
        var synced = await Until(() => crm.Get(jane.Id)?.Field("subscription_status") == "active" ? crm.Get(jane.Id) : null, ct);
        Check(synced is not null, "the CRM now shows subscription_status = active");

        output.WriteLine("3. Someone in billing renames her \"J. Doe\". Billing does not own names.");
        await billing.UpdateAsync(inBilling.Id, new JsonObject { ["name"] = "J. Doe" }, ct);
        var golden = await Until(async () =>
        {
            var found = await hub.Store.SearchAsync("customer", "jane.doe@acme.example", 5, ct);
            return found.FirstOrDefault(r => r.Conflicts().Any());
        }, ct);
        Check(golden is not null && golden.ValueOf("name")?.ToString() == "Jane Doe",
            "the golden record keeps the CRM's \"Jane Doe\"; billing's \"J. Doe\" is recorded as a conflict (the CRM's name goes back to billing with her next update)");

        output.WriteLine("4. Another rep types her into the CRM again: \"jane.doe@ACME.example\".");
        var again = await crm.CreateAsync("customer", new JsonObject { ["name"] = "Jane Doe", ["email"] = "jane.doe@ACME.example", ["company"] = "Acme Corp" }, ct);
        var linked = await Until(async () =>
        {
            var found = await hub.Store.SearchAsync("customer", again.Id, 5, ct);
            return found.Count == 1 ? found[0] : null;
        }, ct);
        var customers = (await hub.Store.GetHealthAsync(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), ct)).RecordsByType.GetValueOrDefault("customer");
        Check(linked is not null && customers == 1 && billing.Records.Count(r => r.Type == "customer") == 1,
            $"still one customer: {again.Id} is linked to the same golden record (same normalised email); billing and accounting were not given a duplicate");

        output.WriteLine("5. Billing goes down for 4 seconds. Meanwhile the CRM changes Jane's phone and adds Bob Smith.");
        billing.Down = true;
        var downAt = Stopwatch.StartNew();
        await crm.UpdateAsync(jane.Id, new JsonObject { ["phone"] = "+1 415 555 0100" }, ct);
        await crm.CreateAsync("customer", new JsonObject { ["name"] = "Bob Smith", ["email"] = "bob@globex.example", ["company"] = "Globex" }, ct);
        var bobInAccounting = await Until(() => accounting.Find("customer", r => r.Field("email") == "bob@globex.example"), ct);
        Check(bobInAccounting is not null && accounting.Get(inAccounting!.Id)?.Field("phone") == "+1 415 555 0100", "accounting got both straight away");
        await Task.Delay(TimeSpan.FromSeconds(4) - downAt.Elapsed, ct).ContinueWith(_ => { }, TaskScheduler.Default);
        var refused = billing.DeliveriesRefused;
        var circuit = hub.Runtime.Dispatcher("billing")!.Breaker.Openings;
        output.WriteLine($"   … billing answered 503 to {refused} attempt(s); its circuit breaker opened {circuit} time(s); nothing was dropped");
        billing.Down = false;
        var caughtUp = await Until(() =>
            billing.Find("customer", r => r.Field("email") == "bob@globex.example") is not null && billing.Get(inBilling.Id)?.Field("phone") == "+1 415 555 0100"
                ? billing : null, ct);
        var deadOrPending = await hub.Store.QueryDeliveriesAsync(new DeliveryQuery(DeliveryStatus.Dead), ct);
        Check(caughtUp is not null && deadOrPending.Count == 0 && billing.Records.Count(r => r.Type == "customer") == 2,
            $"billing came back and caught up by itself: Jane's phone and Bob arrived, nothing lost; {billing.DuplicateDeliveries} repeated idempotency key(s), 2 customers in billing");
    }

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

    private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}
