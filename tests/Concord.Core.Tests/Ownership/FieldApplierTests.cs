using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Ownership;
using Concord.Core.Records;
using Concord.Core.Schema;

namespace Concord.Core.Tests.Ownership;

public class FieldApplierTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    /// <summary>crm owns customers; billing owns subscription_status.</summary>
    private static EntityTypeConfig Customer(bool fillIn = false)
    {
        CanonicalSchemas.TryGet("customer", out var schema);
        return new EntityTypeConfig
        {
            Name = "customer",
            Owner = "crm",
            FillIn = fillIn,
            Schema = schema,
            FieldOwners = { ["subscription_status"] = new FieldOwner("subscription_status", "billing", SourceSpan.None) },
        };
    }

    private static SyncRule TwoWay(string system, params string[] fields) =>
        new() { System = system, Type = "customer", Direction = SyncDirection.TwoWay, Fields = fields.Length == 0 ? null : fields };

    private static readonly SyncRule Crm = TwoWay("crm");
    private static readonly SyncRule Billing = TwoWay("billing", "name", "email", "phone", "subscription_status");

    private static Change ChangeFrom(string system, DateTimeOffset at, params (string Field, JsonNode? Value)[] fields) =>
        new(system, "customer", system + "-42", Guid.NewGuid().ToString(), at, fields.ToDictionary(f => f.Field, f => f.Value));

    private static string? Text(GoldenRecord record, string field) => record.ValueOf(field)?.GetValue<string>();

    [Fact]
    public void Owner_value_becomes_golden_with_its_provenance()
    {
        var record = new GoldenRecord { Id = "r1", Type = "customer", Version = 4 };

        var result = FieldApplier.Apply(record, Customer(), Crm, ChangeFrom("crm", T0, ("name", "Ada Lovelace")));

        var name = record.Fields["name"];
        Assert.Equal("Ada Lovelace", name.Value?.GetValue<string>());
        Assert.Equal("crm", name.System);
        Assert.Equal("crm-42", name.SourceId);
        Assert.Equal(T0, name.ObservedAt);
        Assert.Equal(5, name.Version);
        Assert.False(name.FilledIn);
        var change = Assert.Single(result.Changed);
        Assert.Equal("name", change.Field);
        Assert.Null(change.Old);
        Assert.Equal("Ada Lovelace", change.New?.GetValue<string>());
        Assert.Equal("crm", change.System);
        Assert.True(result.AlteredRecord);
        Assert.Empty(result.Observed);
    }

    [Fact]
    public void Owner_changing_a_value_reports_the_old_and_new_value()
    {
        var record = new GoldenRecord { Type = "customer" };
        FieldApplier.Apply(record, Customer(), Crm, ChangeFrom("crm", T0, ("city", "Paris")));
        record.Version = 1;

        var result = FieldApplier.Apply(record, Customer(), Crm, ChangeFrom("crm", T0.AddMinutes(1), ("city", "Lyon")));

        var change = Assert.Single(result.Changed);
        Assert.Equal(("Paris", "Lyon"), (change.Old?.GetValue<string>(), change.New?.GetValue<string>()));
        Assert.Equal(2, record.Fields["city"].Version);
    }

    [Fact]
    public void Non_owner_value_is_kept_as_an_observation_and_counted_as_a_conflict_when_it_differs()
    {
        var record = new GoldenRecord { Type = "customer" };
        FieldApplier.Apply(record, Customer(), Crm, ChangeFrom("crm", T0, ("name", "Ada Lovelace")));

        var result = FieldApplier.Apply(record, Customer(), Billing, ChangeFrom("billing", T0.AddMinutes(1), ("name", "A. Lovelace")));

        Assert.Empty(result.Changed);
        Assert.Equal(["name"], result.Observed);
        Assert.False(result.AlteredRecord);
        Assert.Equal("Ada Lovelace", Text(record, "name"));
        var observation = record.Observations["name"]["billing"];
        Assert.Equal("A. Lovelace", observation.Value?.GetValue<string>());
        Assert.Equal("billing-42", observation.SourceId);
        Assert.Equal(T0.AddMinutes(1), observation.ObservedAt);
        var conflict = Assert.Single(record.Conflicts());
        Assert.Equal(("name", "billing", "crm"), (conflict.Field, conflict.System, conflict.OwnerSystem));
        Assert.Equal(("A. Lovelace", "Ada Lovelace"), (conflict.Value?.GetValue<string>(), conflict.OwnerValue?.GetValue<string>()));
    }

    [Fact]
    public void Non_owner_reporting_the_golden_value_is_not_a_conflict()
    {
        var record = new GoldenRecord { Type = "customer" };
        FieldApplier.Apply(record, Customer(), Crm, ChangeFrom("crm", T0, ("name", "Ada Lovelace")));

        var result = FieldApplier.Apply(record, Customer(), Billing, ChangeFrom("billing", T0.AddMinutes(1), ("name", "Ada Lovelace")));

        Assert.Equal(["name"], result.Observed);
        Assert.True(record.Observations["name"].ContainsKey("billing"));
        Assert.Empty(record.Conflicts());
    }

    [Fact]
    public void Per_field_owner_writes_its_field_and_the_type_owner_only_observes_it()
    {
        var record = new GoldenRecord { Type = "customer" };

        var byBilling = FieldApplier.Apply(record, Customer(), Billing, ChangeFrom("billing", T0, ("subscription_status", "active"), ("name", "Ada")));
        var byCrm = FieldApplier.Apply(record, Customer(), Crm, ChangeFrom("crm", T0.AddMinutes(1), ("subscription_status", "canceled")));

        Assert.Equal(["subscription_status"], byBilling.Changed.Select(c => c.Field));
        Assert.Equal(["name"], byBilling.Observed);
        Assert.Empty(byCrm.Changed);
        Assert.Equal(["subscription_status"], byCrm.Observed);
        Assert.Equal("active", Text(record, "subscription_status"));
        Assert.Equal("billing", record.Fields["subscription_status"].System);
        Assert.Equal("canceled", record.Observations["subscription_status"]["crm"].Value?.GetValue<string>());
    }

    [Fact]
    public void Fill_in_writes_a_non_owner_value_while_the_owner_has_supplied_nothing()
    {
        var record = new GoldenRecord { Type = "customer" };

        var result = FieldApplier.Apply(record, Customer(fillIn: true), Billing, ChangeFrom("billing", T0, ("phone", "+44 20 7946 0000")));

        Assert.Equal(["phone"], result.Changed.Select(c => c.Field));
        var phone = record.Fields["phone"];
        Assert.Equal(("+44 20 7946 0000", "billing", true), (phone.Value?.GetValue<string>(), phone.System, phone.FilledIn));
        Assert.Empty(record.Conflicts());
    }

    [Fact]
    public void Fill_in_value_may_be_updated_by_another_fill_in()
    {
        var record = new GoldenRecord { Type = "customer" };
        FieldApplier.Apply(record, Customer(fillIn: true), Billing, ChangeFrom("billing", T0, ("phone", "+44 20 7946 0000")));

        var result = FieldApplier.Apply(record, Customer(fillIn: true), Billing, ChangeFrom("billing", T0.AddMinutes(1), ("phone", "+44 20 7946 1111")));

        Assert.Single(result.Changed);
        Assert.Equal("+44 20 7946 1111", Text(record, "phone"));
        Assert.True(record.Fields["phone"].FilledIn);
    }

    [Fact]
    public void Owner_value_overwrites_a_filled_in_value_and_flips_its_provenance()
    {
        var record = new GoldenRecord { Type = "customer" };
        var type = Customer(fillIn: true);
        FieldApplier.Apply(record, type, Billing, ChangeFrom("billing", T0, ("phone", "+44 20 7946 0000")));
        record.Version = 1;

        var result = FieldApplier.Apply(record, type, Crm, ChangeFrom("crm", T0.AddMinutes(1), ("phone", "+44 20 7946 9999")));

        var change = Assert.Single(result.Changed);
        Assert.Equal(("+44 20 7946 0000", "+44 20 7946 9999", "crm"), (change.Old?.GetValue<string>(), change.New?.GetValue<string>(), change.System));
        var phone = record.Fields["phone"];
        Assert.Equal(("crm", "crm-42", false, 2L), (phone.System, phone.SourceId, phone.FilledIn, phone.Version));
        var conflict = Assert.Single(record.Conflicts());
        Assert.Equal(("phone", "billing"), (conflict.Field, conflict.System));
    }

    [Fact]
    public void Once_the_owner_has_supplied_a_value_fill_in_only_observes()
    {
        var record = new GoldenRecord { Type = "customer" };
        var type = Customer(fillIn: true);
        FieldApplier.Apply(record, type, Crm, ChangeFrom("crm", T0, ("phone", "+44 20 7946 9999")));

        var result = FieldApplier.Apply(record, type, Billing, ChangeFrom("billing", T0.AddMinutes(1), ("phone", "+44 20 7946 0000")));

        Assert.Empty(result.Changed);
        Assert.Equal(["phone"], result.Observed);
        Assert.Equal("+44 20 7946 9999", Text(record, "phone"));
    }

    [Fact]
    public void Owner_confirming_a_filled_in_value_takes_over_its_provenance_without_a_change()
    {
        var record = new GoldenRecord { Type = "customer" };
        var type = Customer(fillIn: true);
        FieldApplier.Apply(record, type, Billing, ChangeFrom("billing", T0, ("phone", "+44 20 7946 0000")));

        var result = FieldApplier.Apply(record, type, Crm, ChangeFrom("crm", T0.AddMinutes(1), ("phone", "+44 20 7946 0000")));

        Assert.Empty(result.Changed);
        var phone = record.Fields["phone"];
        Assert.Equal(("crm", "crm-42", T0.AddMinutes(1), false), (phone.System, phone.SourceId, phone.ObservedAt, phone.FilledIn));
    }

    [Fact]
    public void Without_fill_in_a_non_owner_never_writes_an_empty_field()
    {
        var record = new GoldenRecord { Type = "customer" };

        var result = FieldApplier.Apply(record, Customer(fillIn: false), Billing, ChangeFrom("billing", T0, ("phone", "+44 20 7946 0000")));

        Assert.Empty(result.Changed);
        Assert.False(record.Fields.ContainsKey("phone"));
        Assert.Equal(["phone"], result.Observed);
    }

    [Fact]
    public void Older_change_from_the_same_system_is_ignored_as_stale()
    {
        var record = new GoldenRecord { Type = "customer" };
        FieldApplier.Apply(record, Customer(), Crm, ChangeFrom("crm", T0.AddMinutes(5), ("city", "Lyon")));

        var result = FieldApplier.Apply(record, Customer(), Crm, ChangeFrom("crm", T0, ("city", "Paris"), ("country", "FR")));

        Assert.Equal(["city"], result.Stale);
        Assert.Equal(["country"], result.Changed.Select(c => c.Field));
        Assert.Equal("Lyon", Text(record, "city"));
        Assert.Equal(T0.AddMinutes(5), record.Fields["city"].ObservedAt);
    }

    [Fact]
    public void Older_observation_from_the_same_system_is_ignored_as_stale()
    {
        var record = new GoldenRecord { Type = "customer" };
        FieldApplier.Apply(record, Customer(), Billing, ChangeFrom("billing", T0.AddMinutes(5), ("name", "New")));

        var result = FieldApplier.Apply(record, Customer(), Billing, ChangeFrom("billing", T0, ("name", "Old")));

        Assert.Equal(["name"], result.Stale);
        Assert.Empty(result.Observed);
        Assert.Equal("New", record.Observations["name"]["billing"].Value?.GetValue<string>());
    }

    [Fact]
    public void Change_at_the_same_time_from_the_same_system_is_not_stale()
    {
        var record = new GoldenRecord { Type = "customer" };
        FieldApplier.Apply(record, Customer(), Crm, ChangeFrom("crm", T0, ("city", "Lyon")));

        var result = FieldApplier.Apply(record, Customer(), Crm, ChangeFrom("crm", T0, ("city", "Paris")));

        Assert.Empty(result.Stale);
        Assert.Equal("Paris", Text(record, "city"));
    }

    [Fact]
    public void Owner_may_overwrite_a_newer_value_that_another_system_filled_in()
    {
        var record = new GoldenRecord { Type = "customer" };
        var type = Customer(fillIn: true);
        FieldApplier.Apply(record, type, Billing, ChangeFrom("billing", T0.AddMinutes(5), ("phone", "+1 555 0100")));

        var result = FieldApplier.Apply(record, type, Crm, ChangeFrom("crm", T0, ("phone", "+1 555 0199")));

        Assert.Empty(result.Stale);
        Assert.Equal("+1 555 0199", Text(record, "phone"));
    }

    [Theory]
    [InlineData("ada@example.com")]
    [InlineData("ADA@EXAMPLE.COM")]
    [InlineData(" Ada@Example.com ")]
    public void Email_differing_only_in_case_or_spaces_is_the_same_value(string resent)
    {
        var record = new GoldenRecord { Type = "customer" };
        FieldApplier.Apply(record, Customer(), Crm, ChangeFrom("crm", T0, ("email", "Ada@Example.com")));

        var result = FieldApplier.Apply(record, Customer(), Crm, ChangeFrom("crm", T0.AddMinutes(1), ("email", resent)));

        Assert.Empty(result.Changed);
        Assert.Equal("Ada@Example.com", Text(record, "email"));
        Assert.Equal(T0, record.Fields["email"].ObservedAt);
    }

    [Fact]
    public void Different_email_address_is_a_change()
    {
        var record = new GoldenRecord { Type = "customer" };
        FieldApplier.Apply(record, Customer(), Crm, ChangeFrom("crm", T0, ("email", "ada@example.com")));

        var result = FieldApplier.Apply(record, Customer(), Crm, ChangeFrom("crm", T0.AddMinutes(1), ("email", "ada@example.org")));

        Assert.Single(result.Changed);
    }

    [Theory]
    [InlineData("company_domain", "example.com", "https://www.Example.com/", true)]
    [InlineData("company_domain", "example.com", "example.org", false)]
    [InlineData("name", "Ada", "ada", false)]
    [InlineData("email", "not an email", "NOT AN EMAIL", false)]
    public void SameValue_FoldsCaseOnlyForEmailAndDomainFields(string field, string a, string b, bool same)
    {
        Assert.Equal(same, FieldApplier.SameValue(Customer(), field, a, b));
    }

    [Fact]
    public void SameValue_ComparesNonTextValuesStructurally()
    {
        Assert.True(FieldApplier.SameValue(Customer(), "notes", null, null));
        Assert.False(FieldApplier.SameValue(Customer(), "email", "ada@example.com", null));
        Assert.True(FieldApplier.SameValue(Customer(), "created_at", JsonValue.Create(5), JsonValue.Create(5)));
    }

    [Fact]
    public void Owner_clearing_a_field_writes_null()
    {
        var record = new GoldenRecord { Type = "customer" };
        FieldApplier.Apply(record, Customer(), Crm, ChangeFrom("crm", T0, ("city", "Lyon")));

        var result = FieldApplier.Apply(record, Customer(), Crm, ChangeFrom("crm", T0.AddMinutes(1), ("city", null)));

        var change = Assert.Single(result.Changed);
        Assert.Null(change.New);
        Assert.True(record.Fields.ContainsKey("city"));
        Assert.Null(record.ValueOf("city"));
    }

    [Fact]
    public void Deletion_by_the_type_owner_deletes_the_record_once()
    {
        var record = new GoldenRecord { Type = "customer" };
        var deletion = ChangeFrom("crm", T0) with { Deleted = true };

        var first = FieldApplier.Apply(record, Customer(), Crm, deletion);
        var second = FieldApplier.Apply(record, Customer(), Crm, deletion);

        Assert.True(first.DeletedNow);
        Assert.True(first.AlteredRecord);
        Assert.True(record.Deleted);
        Assert.False(second.DeletedNow);
        Assert.False(second.AlteredRecord);
    }

    [Theory]
    [InlineData("billing")]
    [InlineData("shop")]
    public void Deletion_by_a_system_that_does_not_own_the_type_is_ignored(string system)
    {
        var record = new GoldenRecord { Type = "customer" };
        FieldApplier.Apply(record, Customer(), Crm, ChangeFrom("crm", T0, ("name", "Ada")));

        var result = FieldApplier.Apply(record, Customer(), TwoWay(system), ChangeFrom(system, T0.AddMinutes(1)) with { Deleted = true });

        Assert.False(result.DeletedNow);
        Assert.False(record.Deleted);
        Assert.Equal("Ada", Text(record, "name"));
    }

    [Fact]
    public void Fields_outside_the_systems_sync_rule_are_only_observed()
    {
        var record = new GoldenRecord { Type = "customer" };
        var billingEmailOnly = TwoWay("billing", "email");

        var result = FieldApplier.Apply(record, Customer(fillIn: true), billingEmailOnly, ChangeFrom("billing", T0, ("subscription_status", "active"), ("city", "Oslo")));

        Assert.Empty(result.Changed);
        Assert.Equal(["subscription_status", "city"], result.Observed);
        Assert.Empty(record.Fields);
        Assert.Equal("Oslo", record.Observations["city"]["billing"].Value?.GetValue<string>());
    }

    [Fact]
    public void Owner_without_a_contributing_rule_is_only_observed()
    {
        var record = new GoldenRecord { Type = "customer" };
        var push = new SyncRule { System = "crm", Type = "customer", Direction = SyncDirection.Push };

        var withPushRule = FieldApplier.Apply(record, Customer(), push, ChangeFrom("crm", T0, ("name", "Ada")));
        var withoutRule = FieldApplier.Apply(record, Customer(), null, ChangeFrom("crm", T0, ("city", "Oslo")));

        Assert.Empty(withPushRule.Changed);
        Assert.Empty(withoutRule.Changed);
        Assert.Equal(["name"], withPushRule.Observed);
        Assert.Equal(["city"], withoutRule.Observed);
        Assert.Empty(record.Fields);
    }

    [Fact]
    public void Owner_value_supersedes_its_own_earlier_observation()
    {
        var record = new GoldenRecord { Type = "customer" };
        FieldApplier.Apply(record, Customer(), null, ChangeFrom("crm", T0, ("city", "Oslo")));
        Assert.True(record.Observations.ContainsKey("city"));

        FieldApplier.Apply(record, Customer(), Crm, ChangeFrom("crm", T0.AddMinutes(1), ("city", "Bergen")));

        Assert.False(record.Observations.ContainsKey("city"));
        Assert.Equal("Bergen", Text(record, "city"));
    }

    [Fact]
    public void Golden_value_is_a_copy_of_the_incoming_json()
    {
        var record = new GoldenRecord { Type = "customer" };
        var incoming = new JsonObject { ["line"] = "1 Main St" };

        FieldApplier.Apply(record, Customer(), Crm, ChangeFrom("crm", T0, ("notes", incoming)));
        incoming["line"] = "changed";

        Assert.Equal("1 Main St", record.ValueOf("notes")?["line"]?.GetValue<string>());
    }

    [Fact]
    public void An_owner_speaking_of_a_deleted_record_again_restores_it()
    {
        var record = new GoldenRecord { Id = "r1", Type = "customer", Version = 2, Deleted = true };
        record.Fields["name"] = new FieldValue { Value = "Ada", System = "crm", ObservedAt = T0, Version = 1 };

        var result = FieldApplier.Apply(record, Customer(), Crm, ChangeFrom("crm", T0.AddMinutes(1), ("name", "Ada")));

        Assert.False(record.Deleted);
        Assert.True(result.Restored);
        Assert.True(result.AlteredRecord);
    }

    [Fact]
    public void A_non_owner_cannot_restore_a_deleted_record()
    {
        var record = new GoldenRecord { Id = "r1", Type = "customer", Version = 2, Deleted = true };
        var result = FieldApplier.Apply(record, Customer(), Billing, ChangeFrom("billing", T0, ("name", "Ada")));
        Assert.True(record.Deleted);
        Assert.False(result.AlteredRecord);
    }

    [Fact]
    public void A_re_cased_email_is_not_a_conflict()
    {
        var record = new GoldenRecord { Id = "r1", Type = "customer" };
        FieldApplier.Apply(record, Customer(), Crm, ChangeFrom("crm", T0, ("email", "Ada@Example.com")));
        FieldApplier.Apply(record, Customer(), Billing, ChangeFrom("billing", T0, ("email", " ada@example.COM")));
        Assert.Empty(FieldApplier.Conflicts(record, Customer()));
        Assert.Single(record.Conflicts());
    }

    [Fact]
    public void A_late_change_written_before_a_deletion_does_not_undo_it_but_a_later_one_restores()
    {
        var record = new GoldenRecord { Id = "r1", Type = "customer" };
        FieldApplier.Apply(record, Customer(), Crm, ChangeFrom("crm", T0, ("name", "Ada")));
        var deletion = new Change("crm", "customer", "crm-42", "del", T0.AddHours(2), new Dictionary<string, JsonNode?>(), Deleted: true);
        Assert.True(FieldApplier.Apply(record, Customer(), Crm, deletion).DeletedNow);

        var late = FieldApplier.Apply(record, Customer(), Crm, ChangeFrom("crm", T0.AddHours(1), ("name", "Ada B")));
        Assert.False(late.AlteredRecord);
        Assert.True(record.Deleted);

        var after = FieldApplier.Apply(record, Customer(), Crm, ChangeFrom("crm", T0.AddHours(3), ("name", "Ada B")));
        Assert.True(after.Restored);
        Assert.False(record.Deleted);
        Assert.Equal("Ada B", Text(record, "name"));
    }

    [Fact]
    public void A_deletion_older_than_the_owners_latest_write_is_stale()
    {
        var record = new GoldenRecord { Id = "r1", Type = "customer" };
        FieldApplier.Apply(record, Customer(), Crm, ChangeFrom("crm", T0.AddHours(2), ("name", "Ada")));
        var old = new Change("crm", "customer", "crm-42", "del", T0.AddHours(1), new Dictionary<string, JsonNode?>(), Deleted: true);
        Assert.False(FieldApplier.Apply(record, Customer(), Crm, old).DeletedNow);
        Assert.False(record.Deleted);
    }
}
