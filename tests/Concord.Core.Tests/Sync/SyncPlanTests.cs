using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Records;
using Concord.Core.Sync;

namespace Concord.Core.Tests.Sync;

public class SyncPlanTests
{
    private const string Config = """
        entities:
          customer:
            owner: crm
            fields:
              subscription_status: { owner: billing }
        syncs:
          - { system: crm, type: customer, direction: two-way }
          - { system: billing, type: customer, direction: two-way, fields: [name, email, subscription_status] }
          - { system: accounting, type: customer, direction: push, fields: [name, email, city] }
          - { system: forms, type: customer, direction: pull }
        """;

    private static SyncPlan PlanFor(string yaml)
    {
        var loaded = ConfigLoader.Load(yaml);
        Assert.False(loaded.HasErrors, string.Join("\n", loaded.Problems));
        return new SyncPlan(loaded.Config);
    }

    private static GoldenRecord Record(params (string Field, string? Value)[] fields)
    {
        var record = new GoldenRecord { Id = "r1", Type = "customer", Version = 3 };
        foreach (var (field, value) in fields)
        {
            record.Fields[field] = new FieldValue { Value = value is null ? null : JsonValue.Create(value), System = "crm", Version = 3 };
        }

        return record;
    }

    private static readonly GoldenRecord Ada = Record(
        ("name", "Ada Lovelace"), ("email", "ada@example.com"), ("city", "London"), ("country", "GB"), ("subscription_status", "active"));

    private static FieldChange Changed(string field, string system) => new(field, "old", "new", system);

    private static string Systems(IEnumerable<PlannedDelivery> deliveries) => string.Join(",", deliveries.Select(d => d.System));

    [Fact]
    public void Owner_change_is_delivered_to_every_receiver_covering_the_field_except_the_source()
    {
        var deliveries = PlanFor(Config).Plan(Ada, [Changed("name", "crm")], "crm", deletedNow: false);

        Assert.Equal("billing,accounting", Systems(deliveries));
        Assert.All(deliveries, d => Assert.Equal("upsert", d.Operation));
        Assert.All(deliveries, d => Assert.Equal(["name"], d.ChangedFields));
    }

    [Fact]
    public void Source_system_is_sent_fields_that_others_changed_but_not_the_ones_it_supplied()
    {
        var deliveries = PlanFor(Config).Plan(Ada, [Changed("name", "crm"), Changed("subscription_status", "billing")], "billing", deletedNow: false);

        var byCrm = Assert.Single(deliveries, d => d.System == "crm");
        var byBilling = Assert.Single(deliveries, d => d.System == "billing");
        Assert.Equal(["subscription_status"], byCrm.ChangedFields);
        Assert.Equal(["name"], byBilling.ChangedFields);
        Assert.Equal(["name"], Assert.Single(deliveries, d => d.System == "accounting").ChangedFields);
    }

    [Fact]
    public void Change_of_a_field_only_the_source_receives_causes_no_delivery()
    {
        var deliveries = PlanFor(Config).Plan(Ada, [Changed("country", "crm")], "crm", deletedNow: false);

        Assert.Empty(deliveries);
    }

    [Fact]
    public void Change_that_altered_nothing_causes_no_delivery()
    {
        var deliveries = PlanFor(Config).Plan(Ada, [], "crm", deletedNow: false);

        Assert.Empty(deliveries);
    }

    [Fact]
    public void Delivery_carries_the_full_state_of_the_fields_the_receiver_covers()
    {
        var deliveries = PlanFor(Config).Plan(Ada, [Changed("name", "crm")], "crm", deletedNow: false);

        var accounting = Assert.Single(deliveries, d => d.System == "accounting");
        Assert.Equal(["name", "email", "city"], accounting.Fields.Select(f => f.Key));
        Assert.Equal("London", accounting.Fields["city"]?.GetValue<string>());
        Assert.Equal(["name"], accounting.ChangedFields);
        var billing = Assert.Single(deliveries, d => d.System == "billing");
        Assert.Equal(["name", "email", "subscription_status"], billing.Fields.Select(f => f.Key));
    }

    [Fact]
    public void Receiver_without_a_field_list_gets_every_field_of_the_record()
    {
        var deliveries = PlanFor(Config).Plan(Ada, [Changed("subscription_status", "billing")], "billing", deletedNow: false);

        var crm = Assert.Single(deliveries);
        Assert.Equal("crm", crm.System);
        Assert.Equal(["name", "email", "city", "country", "subscription_status"], crm.Fields.Select(f => f.Key));
    }

    [Fact]
    public void Delivered_fields_are_copies_of_the_golden_values()
    {
        var record = Record(("name", "Ada"));
        var delivery = Assert.Single(PlanFor(Config).Plan(record, [Changed("name", "crm")], "crm", deletedNow: false), d => d.System == "accounting");

        delivery.Fields["name"] = "changed by a connector";

        Assert.Equal("Ada", record.ValueOf("name")?.GetValue<string>());
    }

    [Fact]
    public void Deletion_is_planned_as_delete_for_every_receiver_but_the_source()
    {
        var deliveries = PlanFor(Config).Plan(Ada, [], "crm", deletedNow: true);

        Assert.Equal("billing,accounting", Systems(deliveries));
        Assert.All(deliveries, d => Assert.Equal("delete", d.Operation));
        Assert.All(deliveries, d => Assert.Empty(d.Fields));
    }

    [Fact]
    public void Deletion_from_a_system_that_receives_nothing_goes_to_every_receiver()
    {
        var deliveries = PlanFor(Config).Plan(Ada, [], "forms", deletedNow: true);

        Assert.Equal("crm,billing,accounting", Systems(deliveries));
    }

    [Theory]
    [InlineData("active", true)]
    [InlineData("ACTIVE", true)]
    [InlineData("trialing", true)]
    [InlineData("canceled", false)]
    [InlineData(null, false)]
    public void In_filter_delivers_only_records_with_one_of_the_values(string? status, bool delivered)
    {
        var plan = PlanFor("""
            syncs:
              - { system: mailer, type: customer, direction: push, filter: { subscription_status: [active, trialing] } }
            """);

        var deliveries = plan.Plan(Record(("name", "Ada"), ("subscription_status", status)), [Changed("name", "crm")], "crm", deletedNow: false);

        Assert.Equal(delivered, deliveries.Count == 1);
    }

    [Theory]
    [InlineData("DE", true)]
    [InlineData("US", false)]
    [InlineData("us", false)]
    [InlineData(null, true)]
    public void Not_filter_delivers_records_without_any_of_the_values(string? country, bool delivered)
    {
        var plan = PlanFor("""
            syncs:
              - { system: mailer, type: customer, direction: push, filter: { country: { not: [US, CA] } } }
            """);

        var deliveries = plan.Plan(Record(("name", "Ada"), ("country", country)), [Changed("name", "crm")], "crm", deletedNow: false);

        Assert.Equal(delivered, deliveries.Count == 1);
    }

    [Theory]
    [InlineData("true", "+44 20 7946 0000", true)]
    [InlineData("true", "", false)]
    [InlineData("true", null, false)]
    [InlineData("false", null, true)]
    [InlineData("false", "+44 20 7946 0000", false)]
    public void Exists_filter_checks_that_a_field_has_a_value_or_has_none(string exists, string? phone, bool delivered)
    {
        var plan = PlanFor($$"""
            syncs:
              - { system: sms, type: customer, direction: push, filter: { phone: { exists: {{exists}} } } }
            """);

        var deliveries = plan.Plan(Record(("name", "Ada"), ("phone", phone)), [Changed("name", "crm")], "crm", deletedNow: false);

        Assert.Equal(delivered, deliveries.Count == 1);
    }

    [Fact]
    public void All_filter_conditions_must_match()
    {
        var plan = PlanFor("""
            syncs:
              - { system: mailer, type: customer, direction: push, filter: { subscription_status: active, country: { not: US } } }
            """);

        var both = plan.Plan(Record(("subscription_status", "active"), ("country", "DE")), [Changed("name", "crm")], "crm", deletedNow: false);
        var one = plan.Plan(Record(("subscription_status", "active"), ("country", "US")), [Changed("name", "crm")], "crm", deletedNow: false);

        Assert.Single(both);
        Assert.Empty(one);
    }

    [Fact]
    public void ContributorRule_IsTheRuleOfASystemThatSendsToTheHub()
    {
        var plan = PlanFor(Config);

        Assert.Equal(SyncDirection.TwoWay, plan.ContributorRule("crm", "customer")?.Direction);
        Assert.Equal(SyncDirection.Pull, plan.ContributorRule("forms", "customer")?.Direction);
        Assert.Null(plan.ContributorRule("accounting", "customer"));
        Assert.Null(plan.ContributorRule("crm", "company"));
        Assert.Null(plan.ContributorRule("nobody", "customer"));
    }

    [Fact]
    public void Receivers_AreTheRulesThatPushOrSyncBothWays()
    {
        var plan = PlanFor(Config);

        Assert.Equal(["crm", "billing", "accounting"], plan.Receivers("customer").Select(r => r.System));
        Assert.Empty(plan.Receivers("company"));
    }

    [Fact]
    public void Record_of_a_type_nobody_receives_causes_no_delivery()
    {
        var company = new GoldenRecord { Type = "company" };

        Assert.Empty(PlanFor(Config).Plan(company, [Changed("name", "crm")], "crm", deletedNow: false));
        Assert.Empty(PlanFor(Config).Plan(company, [], "crm", deletedNow: true));
    }

    [Fact]
    public void A_record_that_enters_a_filter_is_sent_whole_even_if_no_covered_field_changed()
    {
        var plan = PlanFor("""
            entities:
              customer:
                owner: crm
                fields:
                  subscription_status: { owner: billing }
            syncs:
              - { system: crm, type: customer, direction: two-way }
              - { system: billing, type: customer, direction: two-way, fields: [email, subscription_status] }
              - { system: mailer, type: customer, direction: push, fields: [name, email], filter: { subscription_status: active } }
            """);
        var entered = plan.Plan(Ada, [new FieldChange("subscription_status", "trialing", "active", "billing")], "billing", deletedNow: false);
        var mailer = Assert.Single(entered, d => d.System == "mailer");
        Assert.Equal(["email", "name"], mailer.ChangedFields.Order());

        var stillIn = plan.Plan(Ada, [new FieldChange("city", "Paris", "London", "crm")], "crm", deletedNow: false);
        Assert.DoesNotContain(stillIn, d => d.System == "mailer");
    }
}
