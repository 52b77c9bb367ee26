using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Ownership;
using Concord.Core.Records;
using Concord.Core.Schema;

namespace Concord.Core.Tests.Ownership;

/// <summary>Which value a field takes: the owner first, then the ranking, recency and completeness; a steward's override above all.</summary>
public class SurvivorshipTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static SurvivorshipRules Rules(string[] rank, params TieBreak[] then) => new(rank.Select(s => new RankedSystem(s, SourceSpan.None)).ToList(), then);

    private static SurvivorCandidate C(string system, JsonNode? value, int minute) => new(system, value, system + "-1", T0.AddMinutes(minute));

    /// <summary>crm owns customers; billing and books may fill in, billing trusted first.</summary>
    private static EntityTypeConfig Customer(bool fillIn = true, bool survivorship = true, params TieBreak[] then)
    {
        CanonicalSchemas.TryGet("customer", out var schema);
        return new EntityTypeConfig
        {
            Name = "customer",
            Owner = "crm",
            FillIn = fillIn,
            Schema = schema,
            Survivorship = survivorship
                ? new SurvivorshipConfig { Rules = Rules(["billing", "books"], then.Length == 0 ? [TieBreak.Recency] : then) }
                : null,
        };
    }

    private static SyncRule TwoWay(string system) => new() { System = system, Type = "customer", Direction = SyncDirection.TwoWay };

    private static SyncRule? Contributors(string system) => system is "crm" or "billing" or "books" or "forms" or "desk" ? TwoWay(system) : null;

    private static ApplyResult Send(GoldenRecord record, EntityTypeConfig type, string system, int minute, params (string Field, JsonNode? Value)[] fields) =>
        FieldApplier.Apply(record, type, Contributors(system), new Change(system, "customer", system + "-1", Guid.NewGuid().ToString(), T0.AddMinutes(minute),
            fields.ToDictionary(f => f.Field, f => f.Value)), Contributors);

    private static string? Text(GoldenRecord record, string field) => record.ValueOf(field)?.GetValue<string>();

    [Fact]
    public void Choose_RankFirst_ThenTheTieBreaksInOrder()
    {
        var rules = Rules(["billing"], TieBreak.Recency, TieBreak.Completeness);
        Assert.Equal("billing", Survivorship.Choose([C("books", "newer", 5), C("billing", "older", 1)], rules)!.System);
        Assert.Equal("forms", Survivorship.Choose([C("books", "old", 1), C("forms", "new", 5)], rules)!.System);
        Assert.Equal("forms", Survivorship.Choose([C("books", "short", 1), C("forms", "much longer", 1)], rules)!.System);

        var completenessFirst = Rules([], TieBreak.Completeness, TieBreak.Recency);
        Assert.Equal("books", Survivorship.Choose([C("books", "Ada Lovelace", 1), C("forms", "Ada", 5)], completenessFirst)!.System);
    }

    [Fact]
    public void Choose_AnEmptyValueIsNoValue_AndAFullTieKeepsTheFirstListed()
    {
        var rules = Rules(["billing"], TieBreak.Recency);
        Assert.Equal("books", Survivorship.Choose([C("billing", "  ", 9), C("books", "x", 1)], rules)!.System);
        Assert.Equal("billing", Survivorship.Choose([C("billing", null, 9), C("books", null, 1)], rules)!.System);
        Assert.Equal("forms", Survivorship.Choose([C("forms", "a", 1), C("shop", "b", 1)], rules)!.System);
        Assert.Equal("shop", Survivorship.Choose([C("shop", "b", 1), C("forms", "a", 1)], rules)!.System);
        Assert.Null(Survivorship.Choose([], rules));
    }

    [Fact]
    public void Information_CountsWhatAValueSays()
    {
        Assert.Equal(0, Survivorship.Information(null));
        Assert.Equal(0, Survivorship.Information(" \t"));
        Assert.Equal(3, Survivorship.Information(" Ada "));
        Assert.Equal(1, Survivorship.Information(0));
        Assert.Equal(1, Survivorship.Information(false));
        Assert.Equal(2, Survivorship.Information(JsonNode.Parse("""["a", "", null, "b"]""")));
        Assert.Equal(1, Survivorship.Information(JsonNode.Parse("""{"line1": "1 Main St", "line2": ""}""")));
    }

    [Fact]
    public void ABetterRankedNonOwner_ReplacesAWorseRankedFilledInValue_ButNotTheOtherWayRound()
    {
        var record = new GoldenRecord { Id = "rec_1", Type = "customer" };
        var type = Customer();

        var byBooks = Send(record, type, "books", 0, ("phone", "+1 415 555 0100"));
        Assert.Equal("books", record.Fields["phone"].System);
        Assert.Single(byBooks.Changed);

        var byBilling = Send(record, type, "billing", 1, ("phone", "+1 415 555 0199"));
        Assert.Equal(("billing", "+1 415 555 0199", true), (record.Fields["phone"].System, Text(record, "phone"), record.Fields["phone"].FilledIn));
        Assert.Equal(new FieldChange("phone", "+1 415 555 0100", "+1 415 555 0199", "billing").ToString(), byBilling.Changed.Single().ToString());

        // Books is newer now, but ranked lower: kept as an observation, shown as a conflict.
        var again = Send(record, type, "books", 2, ("phone", "+1 415 555 0123"));
        Assert.Empty(again.Changed);
        Assert.Equal(["phone"], again.Observed);
        Assert.Equal("+1 415 555 0199", Text(record, "phone"));
        Assert.Equal("books", FieldApplier.Conflicts(record, type).Single().System);
    }

    [Fact]
    public void UnrankedNonOwners_TheNewestWins_AndAnEqualValueChangesNothing()
    {
        var record = new GoldenRecord { Id = "rec_1", Type = "customer" };
        var type = Customer();
        Send(record, type, "forms", 5, ("city", "Leeds"));
        Assert.Empty(Send(record, type, "desk", 1, ("title", "CTO")).Observed);

        // Older than what forms said: forms' value stays.
        var older = Send(record, type, "desk", 2, ("city", "York"));
        Assert.Equal("Leeds", Text(record, "city"));
        Assert.Equal(["city"], older.Observed);

        // Billing is ranked, so it wins whatever its age; the same value again changes nothing.
        Assert.Single(Send(record, type, "billing", 0, ("city", "Bath")).Changed);
        Assert.Empty(Send(record, type, "billing", 3, ("city", "Bath")).Changed);
        Assert.Equal("Bath", Text(record, "city"));
    }

    [Fact]
    public void CompletenessAsTieBreak_PrefersTheFullerValue()
    {
        var record = new GoldenRecord { Id = "rec_1", Type = "customer" };
        var type = Customer(then: [TieBreak.Completeness, TieBreak.Recency]);
        Send(record, type, "forms", 0, ("name", "Ada Lovelace"));
        Send(record, type, "shop", 1, ("name", "Ada"));

        Assert.Equal("Ada Lovelace", Text(record, "name"));
    }

    [Fact]
    public void TheOwnerAlwaysWins_AndARankedSystemCannotTakeItsValue()
    {
        var record = new GoldenRecord { Id = "rec_1", Type = "customer" };
        var type = Customer();
        Send(record, type, "billing", 0, ("name", "A. Lovelace"));
        var owner = Send(record, type, "crm", 1, ("name", "Ada Lovelace"));
        Assert.Single(owner.Changed);
        Assert.False(record.Fields["name"].FilledIn);

        Assert.Empty(Send(record, type, "billing", 2, ("name", "Ada L.")).Changed);
        Assert.Equal("Ada Lovelace", Text(record, "name"));
    }

    [Fact]
    public void WithoutSurvivorship_FillInStillTakesTheLatestValue()
    {
        var record = new GoldenRecord { Id = "rec_1", Type = "customer" };
        var type = Customer(survivorship: false);
        Send(record, type, "billing", 0, ("phone", "1"));
        Send(record, type, "books", 1, ("phone", "2"));

        Assert.Equal(("books", "2"), (record.Fields["phone"].System, Text(record, "phone")));
    }

    [Fact]
    public void AnOverride_WinsOverTheOwner_UntilCleared_ThenTheOwnersLatestValueComesBack()
    {
        var record = new GoldenRecord { Id = "rec_1", Type = "customer", Version = 3 };
        var type = Customer();
        Send(record, type, "crm", 0, ("name", "Ada Lovelace"));

        var set = StewardOverrides.Set(record, "name", "Augusta Ada King", "pat", "legal name per contract", T0.AddMinutes(1));
        Assert.Equal(("Ada Lovelace", "Augusta Ada King", "steward", "pat", "legal name per contract"),
            (set.Old?.ToString(), set.New?.ToString(), set.System, set.By, set.Reason));
        Assert.Equal(new StewardNote("pat", "legal name per contract", T0.AddMinutes(1)), record.Fields["name"].Override);

        var owner = Send(record, type, "crm", 2, ("name", "Ada King"));
        Assert.Empty(owner.Changed);
        Assert.Equal(["name"], owner.Observed);
        Assert.Equal("Augusta Ada King", Text(record, "name"));
        var conflict = FieldApplier.Conflicts(record, type).Single();
        Assert.Equal(("crm", "Ada King", "steward"), (conflict.System, conflict.Value?.ToString(), conflict.OwnerSystem));

        var cleared = StewardOverrides.Clear(record, type, "name", s => Contributors(s) is not null, "pat", "contract superseded")!;
        Assert.Equal(("Augusta Ada King", "Ada King", "steward"), (cleared.Old?.ToString(), cleared.New?.ToString(), cleared.System));
        Assert.Equal(("crm", false, null), (record.Fields["name"].System, record.Fields["name"].FilledIn, record.Fields["name"].Override));
        Assert.False(record.Observations.ContainsKey("name"));
        Assert.Null(StewardOverrides.Clear(record, type, "name", _ => true, "pat", ""));
    }

    [Fact]
    public void ClearingAnOverride_WithoutAnOwnerValue_PutsBackTheBestFillIn_OrNothing()
    {
        var record = new GoldenRecord { Id = "rec_1", Type = "customer" };
        var type = Customer();
        StewardOverrides.Set(record, "phone", "+1 000", "pat", "customer called", T0);
        Send(record, type, "books", 1, ("phone", "+1 415 555 0100"));
        Send(record, type, "billing", 2, ("phone", "+1 415 555 0199"));
        Send(record, type, "shop", 3, ("phone", "+1 415 555 0111"));

        StewardOverrides.Clear(record, type, "phone", s => Contributors(s) is not null, "pat", "");
        Assert.Equal(("billing", "+1 415 555 0199", true), (record.Fields["phone"].System, Text(record, "phone"), record.Fields["phone"].FilledIn));

        StewardOverrides.Set(record, "title", "CEO", "pat", "press release", T0);
        StewardOverrides.Clear(record, type, "title", _ => true, "pat", "");
        Assert.False(record.Fields.ContainsKey("title"));
    }

    private static GoldenRecord Record(string id, params (string Field, FieldValue Value)[] fields)
    {
        var record = new GoldenRecord { Id = id, Type = "customer", Version = 2 };
        foreach (var (field, value) in fields)
        {
            record.Fields[field] = value;
        }

        return record;
    }

    private static FieldValue V(string system, string value, int minute, bool filledIn = false) =>
        new() { System = system, Value = value, SourceId = system + "-x", ObservedAt = T0.AddMinutes(minute), Version = 1, FilledIn = filledIn };

    [Fact]
    public void AMerge_WithSurvivorship_ChoosesPerField_OwnerFirst_ThenRankAndRecency()
    {
        var type = Customer();
        var survivor = Record("rec_a", ("name", V("crm", "Ann Lee", 0)), ("phone", V("books", "+1 111", 0, filledIn: true)), ("city", V("forms", "Leeds", 0, filledIn: true)));
        var absorbed = Record("rec_b", ("name", V("crm", "Ann Lee-Smith", 5)), ("phone", V("billing", "+1 222", 1, filledIn: true)), ("city", V("crm", "York", 1)),
            ("title", V("forms", "CTO", 1, filledIn: true)));

        var changes = RecordCombiner.Combine(survivor, absorbed, type, (s, _) => Contributors(s) is not null);

        Assert.Equal("Ann Lee-Smith", Text(survivor, "name"));
        Assert.Equal(("billing", "+1 222"), (survivor.Fields["phone"].System, Text(survivor, "phone")));
        Assert.Equal(("crm", "York"), (survivor.Fields["city"].System, Text(survivor, "city")));
        Assert.Equal("CTO", Text(survivor, "title"));
        Assert.Equal(["name", "phone", "city", "title"], changes.Select(c => c.Field));

        // Every losing value from another system is kept as that system's observation.
        Assert.Equal("+1 111", survivor.Observations["phone"]["books"].Value?.ToString());
        Assert.Equal("Leeds", survivor.Observations["city"]["forms"].Value?.ToString());
    }

    [Fact]
    public void AMerge_WithoutSurvivorship_PutsTheOwnersValueFirst_ThenTheSurvivors_AndFillsGaps()
    {
        var type = Customer(survivorship: false);
        var survivor = Record("rec_a", ("name", V("crm", "Ann Lee", 0)), ("phone", V("books", "+1 111", 0, filledIn: true)));
        var absorbed = Record("rec_b", ("name", V("crm", "Ann Lee-Smith", 5)), ("phone", V("crm", "+1 222", 1)), ("title", V("crm", "CTO", 1)));

        var changes = RecordCombiner.Combine(survivor, absorbed, type, (_, _) => true);

        // The owner (crm) said +1 222 for the absorbed record; the survivor's phone was only filled in by books.
        Assert.Equal(("Ann Lee", "+1 222", "CTO"), (Text(survivor, "name"), Text(survivor, "phone"), Text(survivor, "title")));
        Assert.Equal(["phone", "title"], changes.Select(c => c.Field).Order());
        Assert.Equal("+1 111", survivor.Observations["phone"]["books"].Value?.ToString());
    }

    [Fact]
    public void AMerge_KeepsTheSurvivorsOverrides_AndCarriesTheAbsorbedRecordsWhereTheSurvivorHasNone()
    {
        var type = Customer();
        var survivor = Record("rec_a", ("name", V("crm", "Ann Lee", 0)), ("city", V("crm", "Leeds", 0)));
        StewardOverrides.Set(survivor, "name", "Ann Lee (VIP)", "pat", "account manager", T0);
        var absorbed = Record("rec_b", ("name", V("crm", "Ann", 5)), ("city", V("crm", "York", 5)));
        StewardOverrides.Set(absorbed, "name", "Ann Other", "sam", "typo", T0);
        StewardOverrides.Set(absorbed, "city", "Bath", "sam", "moved", T0);

        var changes = RecordCombiner.Combine(survivor, absorbed, type, (_, _) => true);

        Assert.Equal(("Ann Lee (VIP)", "pat"), (Text(survivor, "name"), survivor.Fields["name"].Override!.By));
        Assert.Equal(("Bath", "sam"), (Text(survivor, "city"), survivor.Fields["city"].Override!.By));
        // The owner's newest value waits as its observation, for when the override is cleared.
        Assert.Equal("York", survivor.Observations["city"]["crm"].Value?.ToString());
        Assert.Equal([("city", "steward")], changes.Select(c => (c.Field, c.System)));
    }
}
