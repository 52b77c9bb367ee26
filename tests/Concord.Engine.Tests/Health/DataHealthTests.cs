using Concord.Core.Alerts;
using Concord.Core.Configuration;
using Concord.Engine.Alerts;
using Concord.Engine.Alerts.Signals;
using Concord.Engine.Health;
using Concord.Engine.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Concord.Engine.Tests.Health;

/// <summary>
/// Data health measured over records the pipeline built from real changes: the score maths, the reasons,
/// unmatched references, conflicts per field and system, the history, and the health_below signal.
/// </summary>
public sealed class DataHealthTests : IAsyncLifetime
{
    private const string Yaml = """
        version: 1
        systems:
          crm: { kind: http, settings: { url: "http://127.0.0.1:1/crm", webhook_secret: { env: S } } }
          billing: { kind: http, settings: { url: "http://127.0.0.1:1/billing", webhook_secret: { env: S } } }
        entities:
          customer: { owner: crm, identity: [email], fields: { phone: { owner: billing } } }
          invoice: { owner: billing }
          payment: { owner: billing }
        syncs:
          - { system: crm, type: customer, direction: two-way }
          - { system: billing, type: customer, direction: two-way }
          - { system: billing, type: invoice, direction: two-way }
          - { system: billing, type: payment, direction: two-way }
        health:
          target: 90%
          targets: { invoice: 50% }
        """;

    private PipelineRig _rig = null!;
    private DataHealthMonitor _monitor = null!;

    public async Task InitializeAsync()
    {
        _rig = await PipelineRig.StartAsync(Yaml);
        _monitor = new DataHealthMonitor(_rig.Plan.Config, _rig.Store, _rig.Time, NullLogger.Instance);

        // c1 and c4 are in both systems; c2 and c3 only in the CRM, and c3 has no name. Billing calls c4 "Eve" (the CRM owns names: a conflict).
        await _rig.SendAsync("crm", """{"type":"customer","external_id":"c1","fields":{"email":"a@x.com","name":"A"}}""");
        await _rig.SendAsync("crm", """{"type":"customer","external_id":"c2","fields":{"email":"b@x.com","name":"B"}}""");
        await _rig.SendAsync("crm", """{"type":"customer","external_id":"c3","fields":{"email":"c@x.com"}}""");
        await _rig.SendAsync("crm", """{"type":"customer","external_id":"c4","fields":{"email":"e@x.com","name":"E"}}""");
        await _rig.SendAsync("billing", """{"type":"customer","external_id":"cus_1","fields":{"email":"a@x.com","name":"A"}}""");
        await _rig.SendAsync("billing", """{"type":"customer","external_id":"cus_4","fields":{"email":"e@x.com","name":"Eve"}}""");

        // in_1 names a known customer; in_2 a customer billing never sent (the hub holds an empty record for it); in_3 none.
        await _rig.SendAsync("billing", """{"type":"invoice","external_id":"in_1","fields":{"number":"1","customer":"cus_1","amount":10,"currency":"usd","status":"open"}}""");
        await _rig.SendAsync("billing", """{"type":"invoice","external_id":"in_2","fields":{"number":"2","customer":"cus_404","amount":10,"currency":"usd","status":"open"}}""");
        await _rig.SendAsync("billing", """{"type":"invoice","external_id":"in_3","fields":{"number":"3","amount":10,"currency":"usd","status":"open"}}""");
    }

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private static AlertRule Rule(IReadOnlyList<string>? types = null, double? target = null) =>
        new("health_below", AlertRuleKind.HealthBelow, [], null, null, types, new AlertSettings { Target = target }, SourceSpan.None);

    [Fact]
    public async Task TheScoreOfAType_IsTheShareOfRecordsCompleteAndConnected_AndOverallIsRecordWeighted()
    {
        var report = await _monitor.MeasureAsync(default);

        // Customers: c1..c4 and the empty one in_2 named (linked in billing only, no email, no name).
        var customer = report.Type("customer")!;
        Assert.Equal(5, customer.Records);
        Assert.Equal(3, customer.Complete);    // c1, c2, c4
        Assert.Equal(2, customer.Connected);   // c1, c4
        Assert.Equal(2, customer.Healthy);
        Assert.Equal(0.4, customer.Score!.Value, 10);
        Assert.Equal(0.9, customer.Target);
        Assert.True(customer.BelowTarget);
        Assert.Equal(3, customer.SingleSource);  // c2, c3, the empty one
        Assert.Equal([("email", 1L), ("name", 2L)], customer.Fields.Select(f => (f.Field, f.Missing)).OrderBy(f => f.Field));
        Assert.Equal(0.6, customer.Fields.Single(f => f.Field == "name").Completeness!.Value, 10);
        Assert.Equal([("billing", 2L), ("crm", 1L)], customer.Systems.Select(s => (s.System, s.NotLinked)).OrderBy(s => s.System));
        Assert.Equal(["2 missing name", "2 not in billing", "1 missing email", "1 not in crm"], customer.Reasons.Select(r => r.ToString()));
        Assert.Equal(new ConflictCount("name", "billing", 1), Assert.Single(customer.Conflicts));

        var invoice = report.Type("invoice")!;
        Assert.Equal(3, invoice.Records);
        Assert.Equal(2, invoice.Healthy);        // in_3 misses its customer
        Assert.Equal(0.5, invoice.Target);
        Assert.False(invoice.BelowTarget);
        Assert.Equal(new ReferenceHealth("customer", "customer", Unmatched: 2, Empty: 1, Dangling: 1), Assert.Single(invoice.References));

        var payment = report.Type("payment")!;
        Assert.Equal(0, payment.Records);
        Assert.Null(payment.Score);
        Assert.False(payment.BelowTarget);
        Assert.Equal(2, payment.References.Count);   // customer and invoice, both configured types

        // (2 healthy customers + 2 healthy invoices) / 8 records.
        Assert.Equal(8, report.Records);
        Assert.Equal(0.5, report.Score!.Value, 10);
        Assert.Equal(["customer", "overall"], report.BelowTarget);
    }

    [Fact]
    public async Task Recording_KeepsTheMeasurementAsHistoryPoints()
    {
        var report = await _monitor.RecordAsync(default);

        var overall = Assert.Single(await _rig.Store.GetHealthHistoryAsync(new HealthHistoryQuery("score", report.At.AddMinutes(-1), OverallOnly: true), default));
        Assert.Equal(0.5, overall.Value, 10);
        var missing = await _rig.Store.GetHealthHistoryAsync(new HealthHistoryQuery("missing", report.At.AddMinutes(-1), Type: "customer"), default);
        Assert.Equal([("email", 1d), ("name", 2d)], missing.Select(p => (p.Field!, p.Value)));
        var conflicts = Assert.Single(await _rig.Store.GetHealthHistoryAsync(new HealthHistoryQuery("conflicts", report.At.AddMinutes(-1)), default));
        Assert.Equal(("customer", "billing", "name", 1d), (conflicts.Type, conflicts.System, conflicts.Field, conflicts.Value));
        Assert.Empty(await _rig.Store.GetHealthHistoryAsync(new HealthHistoryQuery("score", report.At.AddMinutes(-1), Type: "payment"), default));
    }

    [Fact]
    public async Task HealthBelow_RaisesACausePerTypeBelowTargetAndOverall_NamingTheTopReasons()
    {
        var signal = new HealthBelowSignal(_monitor, _rig.Plan.Config);

        var causes = await signal.EvaluateAsync(Rule(), _rig.Time.GetUtcNow(), default);

        Assert.Equal(["customer", "overall"], causes.Select(c => c.Key));
        Assert.Equal("customer health 40% < 90%: 2 missing name, 2 not in billing, 1 missing email", causes[0].Summary);
        Assert.Contains("1 not in crm", causes[0].Detail);
        Assert.Equal("overall health 50% < 90%: customer 3 of 5 unhealthy, invoice 1 of 3 unhealthy", causes[1].Summary);

        // A rule about invoices with its own target: no overall cause.
        var invoices = await signal.EvaluateAsync(Rule(["invoice"], 0.7), _rig.Time.GetUtcNow(), default);
        Assert.Equal("invoice health 66.67% < 70%: 1 missing customer", Assert.Single(invoices).Summary);
    }

    [Fact]
    public async Task HealthBelow_Clears_WhenTheScoreIsBackAtTarget_OnTheNextMeasurement()
    {
        var signal = new HealthBelowSignal(_monitor, _rig.Plan.Config);
        var rule = Rule(["customer"], 0.8);
        Assert.Single(await signal.EvaluateAsync(rule, _rig.Time.GetUtcNow(), default));

        // c3 gets its name; billing learns c2 and c3: 4 of 5 customers healthy, exactly the target.
        await _rig.SendAsync("crm", """{"type":"customer","external_id":"c3","fields":{"email":"c@x.com","name":"C"}}""");
        await _rig.SendAsync("billing", """{"type":"customer","external_id":"cus_2","fields":{"email":"b@x.com"}}""");
        await _rig.SendAsync("billing", """{"type":"customer","external_id":"cus_3","fields":{"email":"c@x.com"}}""");

        // Within health.every the measurement is reused; after it, measured again.
        Assert.Single(await signal.EvaluateAsync(rule, _rig.Time.GetUtcNow(), default));
        _rig.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty(await signal.EvaluateAsync(rule, _rig.Time.GetUtcNow(), default));
        Assert.Equal(0.8, _monitor.Latest!.Type("customer")!.Score!.Value, 10);
    }
}
