using Concord.Core.Alerts;
using Concord.Core.Configuration;
using Concord.Engine.Alerts.Signals;
using Concord.Engine.Connectors;
using Concord.Engine.Resilience;
using Concord.Engine.Storage;
using Concord.Storage.Sqlite;
using Concord.Testing;

namespace Concord.Engine.Tests.Alerts;

public sealed class AlertSignalTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new();
    private SqliteHubStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteHubStore(_dir.File("hub.db"), durable: false, _time);
        await _store.InitializeAsync(default);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    private static AlertRule Rule(AlertRuleKind kind, AlertSettings? settings = null, string[]? systems = null, string[]? flows = null, string[]? types = null) =>
        new(AlertRuleKinds.NameOf(kind), kind, [], systems, flows, types, settings ?? new AlertSettings(), SourceSpan.None);

    /// <summary>Enqueues a delivery to <paramref name="system"/> and ends each of its attempts as given.</summary>
    private async Task<long> DeliverAsync(string system, string record, params DeliveryStatus[] attempts)
    {
        await _store.ExecuteAsync(tx =>
        {
            tx.EnqueueDelivery(new Delivery
            {
                System = system, Type = "customer", RecordId = record, Version = 1, Operation = "upsert", Payload = "{}", Changed = "[]",
                IdempotencyKey = $"{record}.{system}", CorrelationId = "chg_" + record, CreatedAt = _time.GetUtcNow(), NextAttemptAt = _time.GetUtcNow(),
            });
            return true;
        }, default);
        var id = (await _store.QueryDeliveriesAsync(new DeliveryQuery(System: system, RecordId: record, Limit: 1), default))[0].Id;
        var n = 0;
        foreach (var status in attempts)
        {
            n++;
            await _store.CompleteAsync([new DeliveryOutcome(id, status, n, _time.GetUtcNow(), TimeSpan.FromMilliseconds(5), status == DeliveryStatus.Succeeded ? 200 : 503, null,
                status == DeliveryStatus.Succeeded ? null : $"{system} answered 503 ({record})", null, null)], default);
        }

        return id;
    }

    [Fact]
    public async Task DeadLetter_IsOneCausePerSystem_WithTheCountAndLatestError_AndClearsWhenReplayed()
    {
        var signal = new DeadLetterSignal(_store);
        await DeliverAsync("stripe", "rec_1", DeliveryStatus.Dead);
        var second = await DeliverAsync("stripe", "rec_2", DeliveryStatus.Retrying, DeliveryStatus.Dead);
        await DeliverAsync("hubspot", "rec_3", DeliveryStatus.Succeeded);

        var cause = Assert.Single(await signal.EvaluateAsync(Rule(AlertRuleKind.DeadLetter), _time.GetUtcNow(), default));
        Assert.Equal(("stripe", "system stripe"), (cause.Key, cause.Subject));
        Assert.StartsWith("2 deliveries to stripe gave up", cause.Summary, StringComparison.Ordinal);
        Assert.Contains("stripe answered 503 (rec_2)", cause.Summary, StringComparison.Ordinal);
        Assert.Empty(await signal.EvaluateAsync(Rule(AlertRuleKind.DeadLetter, systems: ["hubspot"]), _time.GetUtcNow(), default));

        await _store.RequeueAsync(second, "{}", "again", _time.GetUtcNow(), "tests", default);
        Assert.StartsWith("1 delivery to stripe", Assert.Single(await signal.EvaluateAsync(Rule(AlertRuleKind.DeadLetter), _time.GetUtcNow(), default)).Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorRate_NeedsTheShareAboveTheThreshold_AndEnoughAttempts_InTheWindow()
    {
        var signal = new ErrorRateSignal(_store);
        var rule = Rule(AlertRuleKind.ErrorRate, new AlertSettings { Above = 0.5, MinCount = 4, Window = TimeSpan.FromMinutes(10) });
        await DeliverAsync("stripe", "rec_1", DeliveryStatus.Retrying, DeliveryStatus.Retrying, DeliveryStatus.Retrying);
        Assert.Empty(await signal.EvaluateAsync(rule, _time.GetUtcNow(), default));

        await DeliverAsync("stripe", "rec_2", DeliveryStatus.Succeeded);
        await DeliverAsync("hubspot", "rec_3", DeliveryStatus.Retrying, DeliveryStatus.Succeeded, DeliveryStatus.Succeeded, DeliveryStatus.Succeeded);
        var cause = Assert.Single(await signal.EvaluateAsync(rule, _time.GetUtcNow(), default));
        Assert.Equal("stripe", cause.Key);
        Assert.Equal("3 of 4 delivery attempts failed in the last 10m (75%, above 50%)", cause.Summary);

        Assert.Empty(await signal.EvaluateAsync(rule with { Flows = ["invoice_paid"] }, _time.GetUtcNow(), default));
        _time.Advance(TimeSpan.FromMinutes(11));
        Assert.Empty(await signal.EvaluateAsync(rule, _time.GetUtcNow(), default));
    }

    [Fact]
    public async Task ErrorRate_OfAFlow_IsFailedRunsOverFinishedRuns()
    {
        var signal = new ErrorRateSignal(_store);
        await _store.ExecuteAsync(tx =>
        {
            for (var i = 0; i < 4; i++)
            {
                var failed = i < 3;
                tx.EnqueueFlowRun(new FlowRun
                {
                    Id = $"run_{i}", Flow = "invoice_paid", TriggerKind = "record", Input = "{}", CreatedAt = _time.GetUtcNow(), UpdatedAt = _time.GetUtcNow(), NextAt = _time.GetUtcNow(),
                    Status = failed ? FlowRunStatus.Failed : FlowRunStatus.Succeeded, FinishedAt = _time.GetUtcNow(), Error = failed ? "quickbooks refused the invoice" : null,
                });
            }

            return true;
        }, default);

        var cause = Assert.Single(await signal.EvaluateAsync(Rule(AlertRuleKind.ErrorRate, new AlertSettings { MinCount = 2 }), _time.GetUtcNow(), default));
        Assert.Equal(("flow:invoice_paid", "flow invoice_paid"), (cause.Key, cause.Subject));
        Assert.StartsWith("3 of 4 runs failed in the last 15m (75%", cause.Summary, StringComparison.Ordinal);
        Assert.Contains("quickbooks refused the invoice", cause.Detail, StringComparison.Ordinal);
        Assert.Empty(await signal.EvaluateAsync(Rule(AlertRuleKind.ErrorRate, new AlertSettings { MinCount = 2 }, systems: ["stripe"]), _time.GetUtcNow(), default));
    }

    [Fact]
    public async Task CircuitOpen_WhileTheBreakerIsOpenOrProbing_AndNotWhenClosed()
    {
        var breaker = new CircuitBreaker(new CircuitBreakerPolicy { FailureThreshold = 2, BreakDuration = TimeSpan.FromSeconds(30) }, _time);
        var signal = new CircuitOpenSignal(new Dictionary<string, CircuitBreaker> { ["stripe"] = breaker });
        var rule = Rule(AlertRuleKind.CircuitOpen);
        Assert.Empty(await signal.EvaluateAsync(rule, _time.GetUtcNow(), default));

        breaker.OnFailure();
        breaker.OnFailure();
        Assert.Contains("is open", Assert.Single(await signal.EvaluateAsync(rule, _time.GetUtcNow(), default)).Summary, StringComparison.Ordinal);
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Contains("half open", Assert.Single(await signal.EvaluateAsync(rule, _time.GetUtcNow(), default)).Summary, StringComparison.Ordinal);
        breaker.OnSuccess();
        Assert.Empty(await signal.EvaluateAsync(rule, _time.GetUtcNow(), default));
    }

    [Fact]
    public async Task BillingGuardrail_IsEachOpenAlertFinding_UntilItIsResolved()
    {
        var signal = new BillingGuardrailSignal(_store);
        await _store.ExecuteAsync(tx =>
        {
            tx.RaiseFinding(new Finding("fnd_1", "double-billing", "alert", "subscription", "rec_1", "rec_2", null, "Acme pays twice for price_pro_monthly", _time.GetUtcNow(),
                Rule: "one active subscription per customer and plan"));
            tx.RaiseFinding(new Finding("fnd_2", "possible-duplicate", "warning", "customer", "rec_3", "rec_4", null, "look alike", _time.GetUtcNow()));
            return true;
        }, default);

        var cause = Assert.Single(await signal.EvaluateAsync(Rule(AlertRuleKind.BillingGuardrail), _time.GetUtcNow(), default));
        Assert.Equal(("fnd_1", "subscription rec_1"), (cause.Key, cause.Subject));
        Assert.Equal("double-billing (one active subscription per customer and plan): Acme pays twice for price_pro_monthly", cause.Summary);
        Assert.Empty(await signal.EvaluateAsync(Rule(AlertRuleKind.BillingGuardrail, types: ["customer"]), _time.GetUtcNow(), default));

        await _store.ExecuteAsync(tx => { tx.CloseFinding("fnd_1", dismissed: false); return true; }, default);
        Assert.Empty(await signal.EvaluateAsync(Rule(AlertRuleKind.BillingGuardrail), _time.GetUtcNow(), default));
    }

    [Fact]
    public async Task DuplicatesRising_ComparesTheLastWindowWithTheSevenBefore()
    {
        var signal = new DuplicatesRisingSignal(_store);
        var rule = Rule(AlertRuleKind.DuplicatesRising, new AlertSettings { Window = TimeSpan.FromHours(1), MinCount = 3 });
        var n = 0;
        async Task RaiseAsync(int count, string kind = "possible-duplicate")
        {
            await _store.ExecuteAsync(tx =>
            {
                for (var i = 0; i < count; i++, n++)
                {
                    tx.RaiseFinding(new Finding($"fnd_{n}", kind, "warning", "customer", $"rec_{n}", $"rec_x{n}", null, "look alike", _time.GetUtcNow()));
                }

                return true;
            }, default);
        }

        // Two an hour for seven hours is usual (7 × 2 / 7 = 2 an hour): four in the last hour is not above 2×.
        for (var h = 0; h < 7; h++)
        {
            _time.Advance(TimeSpan.FromMinutes(30));
            await RaiseAsync(2);
            _time.Advance(TimeSpan.FromMinutes(30));
        }

        _time.Advance(TimeSpan.FromMinutes(45));
        await RaiseAsync(4);
        Assert.Empty(await signal.EvaluateAsync(rule, _time.GetUtcNow(), default));

        await RaiseAsync(1, "duplicate-in-system");
        var cause = Assert.Single(await signal.EvaluateAsync(rule, _time.GetUtcNow(), default));
        Assert.Equal(("customer", "type customer"), (cause.Key, cause.Subject));
        Assert.StartsWith("5 suspected duplicate customer records in the last 1h; usually 2 per 1h", cause.Summary, StringComparison.Ordinal);
        Assert.Empty(await signal.EvaluateAsync(rule with { Types = ["company"] }, _time.GetUtcNow(), default));

        _time.Advance(TimeSpan.FromMinutes(61));
        Assert.Empty(await signal.EvaluateAsync(rule, _time.GetUtcNow(), default));
    }

    [Fact]
    public async Task CredentialExpiry_FromTheWrittenDateAndFromTheConnector_AndExpiredSaysSo()
    {
        var config = TestConfigs.Load("""
            systems:
              crm: { kind: webhook, settings: { secret: { env: CRM_SECRET } }, credential_expires: 2026-11-30 }
              books: { kind: webhook, settings: { secret: { env: CRM_SECRET } }, credential_expires: 2027-06-01 }
            entities:
              customer: { owner: crm }
            syncs:
              - { system: crm, type: customer, direction: pull }
            """, _ => "secret");
        var token = new FixedExpiry { At = _time.GetUtcNow() - TimeSpan.FromDays(2) };
        var signal = new CredentialExpirySignal(config, new Dictionary<string, ICredentialExpiry> { ["books"] = token });

        var causes = await signal.EvaluateAsync(Rule(AlertRuleKind.CredentialExpiry), _time.GetUtcNow(), default);
        Assert.Equal(["books:token", "crm"], causes.Select(c => c.Key).Order());
        Assert.Equal("its credential of crm expires on 2026-11-30 00:00 UTC, in 7d 15h (alert within 14d)", causes.Single(c => c.Key == "crm").Summary);
        Assert.StartsWith("EXPIRED: the refresh token of books expired on 2026-11-20", causes.Single(c => c.Key == "books:token").Summary, StringComparison.Ordinal);

        token.At = _time.GetUtcNow() + TimeSpan.FromDays(100);
        Assert.Equal(["crm"], (await signal.EvaluateAsync(Rule(AlertRuleKind.CredentialExpiry), _time.GetUtcNow(), default)).Select(c => c.Key));
        Assert.Empty(await signal.EvaluateAsync(Rule(AlertRuleKind.CredentialExpiry, new AlertSettings { Within = TimeSpan.FromDays(3) }), _time.GetUtcNow(), default));
    }

    private sealed class FixedExpiry : ICredentialExpiry
    {
        public DateTimeOffset? At { get; set; }

        public string Credential => "the refresh token";

        public Task<DateTimeOffset?> ExpiresAtAsync(CancellationToken cancellationToken) => Task.FromResult(At);
    }
}
