using Concord.Core.Configuration;
using Concord.Core.Map;
using Concord.Testing;

namespace Concord.Core.Tests.Map;

public sealed class StackMapBuilderTests
{
    private const string Yaml = """
        version: 1
        systems:
          crm:
            kind: hubspot
            settings: { access_token: { env: CRM_TOKEN } }
          billing:
            kind: stripe
            settings: { api_key: { env: BILLING_KEY }, webhook_secret: { env: BILLING_WEBHOOK_SECRET } }
          books:
            kind: http
            layer: money
            settings: { url: "http://127.0.0.1:9/books" }
          sheet:
            kind: http
            settings: { url: "http://127.0.0.1:9/sheet" }
          chat:
            kind: slack
            settings: { bot_token: { env: SLACK_TOKEN }, channel: C1 }
        tools:
          asana: { layer: delivery, cost: { monthly: 24, currency: EUR } }
        entities:
          customer:
            owner: crm
            identity: [email]
            fields:
              subscription_status: { owner: billing }
          invoice: { owner: billing }
          payment: { owner: billing }
        syncs:
          - { system: crm, type: customer, direction: two-way }
          - { system: billing, type: customer, direction: two-way, fields: [email, name, subscription_status] }
          - { system: books, type: invoice, direction: push, filter: { status: { not: [draft] } } }
          - { system: billing, type: invoice, direction: two-way }
          - { system: billing, type: payment, direction: pull }
          - { system: sheet, type: payment, direction: push }
        flows:
          receipt:
            trigger: { record: payment, on: created, from: billing }
            steps:
              - find: { type: customer, where: { email: "{{ payment.customer_email }}" } }
              - notify: { via: chat, text: "Paid: {{ payment.amount }}" }
          nightly:
            trigger: { schedule: "0 2 * * *" }
            steps:
              - create: { type: invoice, in: billing, fields: { number: "N-1", customer: "c", amount: 1, currency: EUR, status: draft } }
        """;

    private static StackMap Map() => StackMapBuilder.Build(TestConfigs.Load(Yaml, name => name + "-value"));

    [Fact]
    public void Systems_take_their_written_or_default_layer_and_tools_are_kept_apart()
    {
        var map = Map();

        Assert.Equal(StackLayer.Customers, map.System("crm")!.Layer);
        Assert.Equal(StackLayer.Money, map.System("billing")!.Layer);
        Assert.Equal(StackLayer.Money, map.System("books")!.Layer);
        Assert.Equal(StackLayer.None, map.System("sheet")!.Layer);
        Assert.Equal(StackLayer.Communication, map.System("chat")!.Layer);
        var asana = map.System("asana")!;
        Assert.True(asana.IsTool);
        Assert.Equal(StackLayer.Delivery, asana.Layer);
        Assert.False(map.System("crm")!.IsTool);
    }

    [Fact]
    public void Each_type_names_its_system_of_record_and_the_fields_owned_by_others()
    {
        var map = Map();

        var customer = map.Types.Single(t => t.Name == "customer");
        Assert.Equal("crm", customer.Owner);
        Assert.Equal([new MapFieldOwner("subscription_status", "billing")], customer.FieldOwners);
        Assert.Equal("billing", map.Types.Single(t => t.Name == "invoice").Owner);
    }

    [Fact]
    public void Connections_carry_direction_ownership_fields_and_filters()
    {
        var map = Map();
        MapConnection Of(string system, string type) => map.Connections.Single(c => c.System == system && c.Type == type);

        Assert.Equal(6, map.Connections.Count);
        Assert.Equal((MapDirection.Both, true, true), (Of("crm", "customer").Direction, Of("crm", "customer").OwnsType, Of("crm", "customer").IsOwner));
        var billingCustomer = Of("billing", "customer");
        Assert.Equal(MapDirection.Both, billingCustomer.Direction);
        Assert.False(billingCustomer.OwnsType);
        Assert.Equal(["subscription_status"], billingCustomer.OwnedFields);
        Assert.Equal(["email", "name", "subscription_status"], billingCustomer.Fields!);
        Assert.Equal((MapDirection.Receives, false, true), (Of("books", "invoice").Direction, Of("books", "invoice").IsOwner, Of("books", "invoice").Filtered));
        Assert.Equal((MapDirection.Contributes, true), (Of("billing", "payment").Direction, Of("billing", "payment").OwnsType));
        Assert.Equal("receives", Of("sheet", "payment").DirectionText);
        Assert.Null(Of("sheet", "payment").Fields);
    }

    [Fact]
    public void Flows_show_their_trigger_and_what_their_steps_reach()
    {
        var map = Map();

        var receipt = map.Flows.Single(f => f.Name == "receipt");
        Assert.Equal("payment created from billing", receipt.Trigger);
        Assert.Equal("payment", receipt.TriggerType);
        Assert.Equal(["billing"], receipt.TriggerSystems);
        Assert.Equal(["reads customer", "notifies via chat"], receipt.Targets.Select(t => t.Describe()));
        var nightly = map.Flows.Single(f => f.Name == "nightly");
        Assert.Equal("schedule 0 2 * * *", nightly.Trigger);
        Assert.Equal(["writes invoice in billing"], nightly.Targets.Select(t => t.Describe()));
        Assert.Equal(["receipt"], map.System("chat")!.FlowUses);
        Assert.Equal(["receipt", "nightly"], map.System("billing")!.FlowUses);
        Assert.Empty(map.System("books")!.FlowUses);
    }

    [Fact]
    public void The_sample_stacks_have_the_size_the_documentation_claims()
    {
        var demo = MapSamples.Demo();
        Assert.Equal(4, demo.Systems.Count);
        Assert.Equal(10, demo.Connections.Count);

        var big = MapSamples.FifteenSystems();
        Assert.Equal(15, big.Systems.Count(s => !s.IsTool));
        Assert.True(big.Connections.Count >= 40, $"{big.Connections.Count} connections");
    }
}
