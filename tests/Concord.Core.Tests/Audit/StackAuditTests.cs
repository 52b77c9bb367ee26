using Concord.Core.Audit;
using Concord.Core.Configuration;

namespace Concord.Core.Tests.Audit;

public class StackAuditTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 30, 12, 0, 0, TimeSpan.Zero);

    private static HubConfig Load(string yaml)
    {
        var result = ConfigLoader.Load(yaml);
        Assert.Empty(result.Problems);
        return result.Config;
    }

    private static SystemTraffic Active => new(Now.AddDays(-1), Now.AddDays(-1), 0, 0);

    private static AuditReport Run(HubConfig config, Dictionary<string, SystemTraffic>? traffic = null) =>
        StackAudit.Run(config, traffic ?? config.Systems.Keys.ToDictionary(k => k, _ => Active), Now);

    private const string Healthy = """
        version: 1
        systems:
          crm:
            kind: hubspot
            cost: { monthly: 45, currency: EUR }
          pay:
            kind: stripe
            cost: { monthly: 0, currency: EUR }
          books:
            kind: quickbooks
            cost: { monthly: 30.5, currency: EUR }
        entities:
          customer: { owner: crm }
          invoice: { owner: books }
          payment: { owner: pay }
        syncs:
          - { system: crm, type: customer, direction: two-way }
          - { system: books, type: customer, direction: push }
          - { system: books, type: invoice, direction: two-way }
          - { system: pay, type: payment, direction: pull }
        """;

    [Fact]
    public void A_healthy_stack_has_no_findings_and_its_spend_is_summed_per_currency()
    {
        var report = Run(Load(Healthy));

        Assert.Empty(report.Findings);
        Assert.Equal(75.50m, report.MonthlySpend["EUR"]);
        Assert.All(report.Checklist, item => Assert.True(item.Ok, item.Item));
        Assert.Equal(["crm", "books", "pay"], report.Tools.Select(t => t.Name));
        Assert.Contains("customer: crm; invoice: books; payment: pay", report.Checklist[2].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_system_no_sync_or_flow_uses_is_connected_to_nothing()
    {
        var report = Run(Load(Healthy.Replace("systems:", "systems:\n  chat:\n    kind: slack\n    cost: { monthly: 7.25, currency: EUR }", StringComparison.Ordinal)));

        var f = Assert.Single(report.Findings);
        Assert.Equal(("unconnected", "chat", AuditSeverity.Warning), (f.Code, f.Subject, f.Severity));
        Assert.Contains("7.25 EUR", f.Message, StringComparison.Ordinal);
        Assert.Contains("cancel", f.NextStep, StringComparison.Ordinal);
        Assert.False(report.Checklist[0].Ok);
        Assert.Equal(82.75m, report.MonthlySpend["EUR"]);
    }

    [Fact]
    public void An_audit_only_tool_with_a_cost_is_an_unused_subscription_and_counts_in_the_spend()
    {
        var report = Run(Load(Healthy + "\ntools:\n  notion: { layer: storage, cost: { monthly: 10, currency: USD } }\n"));

        var f = Assert.Single(report.Findings);
        Assert.Equal(("unused-subscription", "notion"), (f.Code, f.Subject));
        Assert.Equal(10m, report.MonthlySpend["USD"]);
        Assert.Equal(75.50m, report.MonthlySpend["EUR"]);
    }

    [Fact]
    public void Two_connected_tools_in_one_layer_overlap_only_when_both_are_sources_of_the_same_type()
    {
        var complementary = Run(Load(Healthy));
        Assert.DoesNotContain(complementary.Findings, f => f.Code == "overlap");

        // Receiving invoices from the books is another job (a copy kept current), not a second ledger.
        var receives = Run(Load(Healthy + "\n  - { system: pay, type: invoice, direction: push }\n"));
        Assert.DoesNotContain(receives.Findings, f => f.Code == "overlap");

        var both = Run(Load(Healthy.Replace("invoice: { owner: books }", "invoice: { owner: books, fill_in: true }", StringComparison.Ordinal)
            + "\n  - { system: pay, type: invoice, direction: two-way }\n"));
        var f = Assert.Single(both.Findings, x => x.Code == "overlap");
        Assert.Equal("books, pay", f.Subject);
        Assert.Contains("both are sources of invoice", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_system_a_flow_notifies_through_or_writes_in_is_connected()
    {
        var report = Run(Load(Healthy.Replace("systems:", "systems:\n  chat:\n    kind: slack\n    settings: { webhook_url: { env: SLACK_HOOK } }", StringComparison.Ordinal)
            + "\nflows:\n  tell:\n    trigger: { record: payment, on: created }\n    steps:\n      - notify: { via: chat, text: paid }\n"));

        Assert.DoesNotContain(report.Findings, f => f.Code == "unconnected");
    }

    [Fact]
    public void An_audit_only_tool_in_a_layer_with_another_tool_overlaps()
    {
        var report = Run(Load(Healthy + "\ntools:\n  pipedrive: { layer: customers }\n  drive: { layer: storage }\n"));

        var f = Assert.Single(report.Findings, x => x.Code == "overlap");
        Assert.Equal("crm, pipedrive", f.Subject);
    }

    [Fact]
    public void An_integration_without_traffic_for_90_days_is_silent_and_one_with_dead_deliveries_is_broken()
    {
        var config = Load(Healthy);
        var report = Run(config, new()
        {
            ["crm"] = new(Now.AddDays(-89), null, 0, 0),
            ["books"] = new(Now.AddDays(-120), Now.AddDays(-91), 0, 0),
            ["pay"] = new(Now.AddHours(-2), Now.AddHours(-1), 3, 12),
        });

        Assert.Equal(["broken:pay", "silent:books"], report.Findings.Select(f => $"{f.Code}:{f.Subject}"));
        Assert.Equal(AuditSeverity.Error, report.Findings[0].Severity);
        Assert.Contains("3 deliveries", report.Findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("91 days", report.Findings[1].Message, StringComparison.Ordinal);
        Assert.False(report.Checklist[1].Ok);
        Assert.Equal("failing: pay", report.Checklist[1].Detail);
    }

    [Fact]
    public void Failures_without_dead_deliveries_are_a_warning_and_no_traffic_at_all_is_silent()
    {
        var config = Load(Healthy);
        var report = Run(config, new() { ["crm"] = Active, ["books"] = new(null, Now, 0, 2) });

        Assert.Equal(["failing:books", "silent:pay"], report.Findings.Select(f => $"{f.Code}:{f.Subject}"));
        Assert.All(report.Findings, f => Assert.Equal(AuditSeverity.Warning, f.Severity));
    }

    [Fact]
    public void Fields_owned_apart_from_their_type_are_reported_for_the_review_to_confirm()
    {
        var report = Run(Load("""
            version: 1
            systems:
              crm: { kind: hubspot }
              desk: { kind: webhook }
            entities:
              customer:
                owner: crm
                fields:
                  phone: { owner: desk }
            syncs:
              - { system: crm, type: customer, direction: two-way }
              - { system: desk, type: customer, direction: pull }
            """));

        var f = Assert.Single(report.Findings);
        Assert.Equal(("split-owner", "customer", AuditSeverity.Info), (f.Code, f.Subject, f.Severity));
        Assert.Contains("phone by desk", f.Message, StringComparison.Ordinal);
        Assert.Equal(["desk"], report.Owners[0].FieldOwners);
        Assert.False(report.Checklist[2].Ok);
        Assert.Contains("customer: crm", report.Checklist[2].Detail, StringComparison.Ordinal);
    }
}
