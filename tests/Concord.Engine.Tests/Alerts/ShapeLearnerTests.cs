using System.Text.Json.Nodes;
using Concord.Core.Alerts;
using Concord.Core.Configuration;
using Concord.Engine.Alerts.Shapes;
using Concord.Engine.Alerts.Signals;
using Concord.Engine.Alerts;
using Concord.Storage.Sqlite;
using Concord.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Concord.Engine.Tests.Alerts;

public sealed class ShapeLearnerTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new();
    private SqliteHubStore _store = null!;

    private static readonly AlertRule Rule = new("schema_drift", AlertRuleKind.SchemaDrift, [], null, null, null, new AlertSettings(), SourceSpan.None);

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

    private ShapeLearner Learner() => new(_store, _time, 20, NullLogger.Instance);

    private static JsonObject Customer(int i, Action<JsonObject>? change = null)
    {
        var customer = new JsonObject
        {
            ["id"] = $"cus_{i}",
            ["object"] = "customer",
            ["email"] = $"c{i}@example.com",
            ["phone"] = i % 3 == 0 ? null : "+1 555 0100",
            ["address"] = new JsonObject { ["city"] = "Leeds", ["postal_code"] = $"LS{i}", ["country"] = "GB" },
            ["tax_ids"] = new JsonArray(new JsonObject { ["type"] = "eu_vat", ["value"] = $"GB{i}" }),
            ["metadata"] = new JsonObject { [$"note_{i}"] = "free-form keys differ per record" },
            ["balance"] = i,
        };
        change?.Invoke(customer);
        return customer;
    }

    private void Feed(ShapeLearner learner, int from, int count, Action<JsonObject>? change = null)
    {
        for (var i = from; i < from + count; i++)
        {
            learner.Observe("stripe", "customer", Customer(i, change), _time.GetUtcNow());
        }
    }

    [Fact]
    public void PayloadShape_CollapsesArrays_TakesFreeFormMapsWhole_AndGivesNullNoKind()
    {
        var shape = PayloadShape.Of(Customer(3));

        Assert.Equal(ShapeKinds.Array, shape.Paths["tax_ids"]);
        Assert.Equal(ShapeKinds.Object, shape.Paths["tax_ids[]"]);
        Assert.Equal(ShapeKinds.String, shape.Paths["tax_ids[].value"]);
        Assert.Equal(ShapeKinds.None, shape.Paths["phone"]);
        Assert.Equal(ShapeKinds.Object, shape.Paths["metadata"]);
        Assert.DoesNotContain(shape.Paths.Keys, p => p.StartsWith("metadata.", StringComparison.Ordinal));
        Assert.Equal(PayloadShape.Signature(Customer(1)), PayloadShape.Signature(Customer(2)));
        Assert.NotEqual(PayloadShape.Signature(Customer(1)), PayloadShape.Signature(Customer(3)));
    }

    [Fact]
    public void PayloadShape_StopsAtTheDepthLimit()
    {
        var deep = JsonNode.Parse("""{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":1}}}}}}}}""")!.AsObject();

        var paths = PayloadShape.Of(deep).Paths.Keys.ToList();

        Assert.Contains("a.b.c.d.e.f", paths);
        Assert.DoesNotContain("a.b.c.d.e.f.g", paths);
    }

    [Fact]
    public async Task NothingIsJudgedUntilTheShapeIsLearned_ThenAVendorChangeIsOneCauseNamingPathsAndKindsOnly()
    {
        var learner = Learner();
        var signal = new SchemaDriftSignal(learner);
        Feed(learner, 0, 5);
        Feed(learner, 5, 3, c => c.Remove("email"));
        Assert.Empty(await signal.EvaluateAsync(Rule, _time.GetUtcNow(), default));
        Assert.False(learner.Shape("stripe", "customer")!.Learned);

        Feed(learner, 8, 12);
        var learned = learner.Shape("stripe", "customer")!;
        Feed(learner, 100, 5, c =>
        {
            c["address"]!.AsObject().Remove("postal_code");
            c["tax_ids"] = new JsonObject { ["data"] = new JsonArray() };
            c["preferred_locales"] = new JsonArray("en");
            c["phone"] = 15550100;
        });
        var causes = await signal.EvaluateAsync(Rule, _time.GetUtcNow(), default);

        Assert.True(learned.Learned);
        Assert.Empty(learned.Drift);
        var cause = Assert.Single(causes);
        Assert.Equal("stripe/customer", cause.Key);
        Assert.Equal(
            "stripe customer payloads changed: `address.postal_code` missing (was in 100% of 20), `phone` is now a number (was string), "
            + "`tax_ids` is now an object (was array), new field `preferred_locales` (array)",
            cause.Summary);
        Assert.DoesNotContain("Leeds", cause.Summary + cause.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("@example.com", cause.Summary + cause.Detail, StringComparison.Ordinal);
        Assert.Empty(await signal.EvaluateAsync(Rule with { Systems = ["hubspot"] }, _time.GetUtcNow(), default));
    }

    [Fact]
    public async Task AFieldMissingFromOnePayload_IsNotDrift_NullIsCompatible_AndDriftClearsWhenPayloadsMatchAgain()
    {
        var learner = Learner();
        var signal = new SchemaDriftSignal(learner);
        Feed(learner, 0, 20);
        Feed(learner, 30, 1, c => c.Remove("email"));
        Feed(learner, 31, 2, c => c["address"] = null);
        Assert.Empty(await signal.EvaluateAsync(Rule, _time.GetUtcNow(), default));

        Feed(learner, 40, 4, c => c.Remove("email"));
        var drifted = await signal.EvaluateAsync(Rule, _time.GetUtcNow(), default);
        Feed(learner, 50, ShapeModel.RecentKept);
        var matching = await signal.EvaluateAsync(Rule, _time.GetUtcNow(), default);

        // The two payloads with a null address matched (null is compatible) and were learned: 22.
        Assert.Equal("stripe customer payloads changed: `email` missing (was in 100% of 22)", Assert.Single(drifted).Summary);
        Assert.Empty(matching);
    }

    [Fact]
    public async Task AcceptingTheNewShape_ClearsTheDrift_AndItIsLearnedFromTheRecentPayloads()
    {
        var learner = Learner();
        var signal = new SchemaDriftSignal(learner);
        Feed(learner, 0, 20);
        Feed(learner, 100, ShapeModel.RecentKept, c => c["preferred_locales"] = new JsonArray("en"));
        Assert.Single(await signal.EvaluateAsync(Rule, _time.GetUtcNow(), default));

        var accepted = await learner.AcceptAsync("stripe", "customer", default);
        Feed(learner, 200, 5, c => c["preferred_locales"] = new JsonArray("fr"));

        Assert.NotNull(accepted);
        Assert.True(accepted.Learned);
        Assert.Contains(accepted.Fields, f => f.Path == "preferred_locales" && f.Kinds == "array");
        Assert.Empty(await signal.EvaluateAsync(Rule, _time.GetUtcNow(), default));
        Assert.Null(await learner.AcceptAsync("stripe", "invoice", default));
    }

    [Fact]
    public async Task WhatWasLearned_SurvivesARestart_WithTheDriftAndWhenItWasFirstSeen()
    {
        var learner = Learner();
        Feed(learner, 0, 20);
        Feed(learner, 100, 5, c => c.Remove("balance"));
        var firstSeen = learner.Shape("stripe", "customer")!.Drift.Single().Since;
        await learner.SaveAsync(default);
        _time.Advance(TimeSpan.FromHours(1));

        var restarted = Learner();
        await restarted.LoadAsync(default);
        var shape = restarted.Shape("stripe", "customer")!;

        Assert.Equal(20, shape.Samples);
        var drift = Assert.Single(shape.Drift);
        Assert.Equal(("balance", DriftChange.Missing, firstSeen), (drift.Path, drift.Change, drift.Since));
    }
}
