using Concord.Engine.Storage;

namespace Concord.Engine.Tests.Processing;

/// <summary>Cardinality rules (uniqueness and ids per system) and blocked values, through the pipeline on a real store.</summary>
public sealed class GuardrailTests
{
    private const string Systems = """
        version: 1
        systems:
          crm: { kind: http, settings: { url: "http://127.0.0.1:1/crm", webhook_secret: { env: S } } }
          billing: { kind: http, settings: { url: "http://127.0.0.1:1/billing", webhook_secret: { env: S } } }

        """;

    private const string Syncs = """
        syncs:
          - { system: crm, type: customer, direction: two-way }
          - { system: billing, type: customer, direction: two-way, fields: [email, name] }
          - { system: billing, type: subscription, direction: pull }
          - { system: crm, type: company, direction: two-way }

        """;

    private const string Entities = """
        entities:
          customer: { owner: crm, identity: [email, phone], fill_in: true }
          subscription: { owner: billing }
          company: { owner: crm }

        """;

    private static Task<PipelineRig> Rig(string guardrails = "", string entities = Entities) => PipelineRig.StartAsync(Systems + entities + Syncs + guardrails);

    private static async Task<IReadOnlyList<Finding>> Open(PipelineRig rig, string kind) => await rig.Store.QueryFindingsAsync(new FindingQuery(Kind: kind), default);

    private static async Task<string> IdOf(PipelineRig rig, string system, string type, string externalId) =>
        await rig.Store.ExecuteAsync(tx => tx.FindLink(system, type, externalId), default) ?? throw new InvalidOperationException($"{system} {externalId} is not linked");

    private static Task Subscription(PipelineRig rig, string id, string customer, string plan, string status) =>
        rig.SendAsync("billing", $$$"""{"type":"subscription","external_id":"{{{id}}}","fields":{"customer":"{{{customer}}}","plan":"{{{plan}}}","status":"{{{status}}}","amount":2000,"currency":"usd"}}""");

    [Fact]
    public async Task ThreeActiveSubscriptionsToOnePlan_AreReportedAgainstTheFirst_AndStayReportedWhenTheFirstEnds()
    {
        await using var rig = await Rig();
        await rig.SendAsync("billing", """{"type":"customer","external_id":"cus_A","fields":{"email":"ap@acme.example","name":"Acme"}}""");
        foreach (var sub in new[] { "sub_1", "sub_2", "sub_3" })
        {
            await Subscription(rig, sub, "cus_A", "Pro", "active");
        }

        var (s1, s2, s3) = (await IdOf(rig, "billing", "subscription", "sub_1"), await IdOf(rig, "billing", "subscription", "sub_2"), await IdOf(rig, "billing", "subscription", "sub_3"));
        var alerts = await Open(rig, "double-billing");
        Assert.Equal(2, alerts.Count);
        Assert.All(alerts, a =>
        {
            Assert.Equal("alert", a.Severity);
            Assert.Equal("one active subscription per customer and plan", a.Rule);
            Assert.Equal(s1, a.OtherRecordId);
            Assert.Contains(s1, a.Message, StringComparison.Ordinal);
            Assert.Contains(a.RecordId, a.Message, StringComparison.Ordinal);
        });
        Assert.Equal([s2, s3], alerts.Select(a => a.RecordId).Order());

        // The first ends: the other two still bill twice, so they are reported against each other.
        await Subscription(rig, "sub_1", "cus_A", "Pro", "canceled");
        var still = Assert.Single(await Open(rig, "double-billing"));
        Assert.Equal((s2, s3), (still.OtherRecordId, still.RecordId));

        await Subscription(rig, "sub_3", "cus_A", "Pro", "past_due");
        Assert.Single(await Open(rig, "double-billing"));
        await rig.SendAsync("billing", """{"type":"subscription","external_id":"sub_2","deleted":true}""");
        Assert.Empty(await Open(rig, "double-billing"));
    }

    [Fact]
    public async Task AWrittenUniquenessRule_ReplacesTheBuiltInOne_AndOtherTypesRaiseCardinalityWarnings()
    {
        await using var rig = await Rig("""
            guardrails:
              rules:
                - name: one live subscription per customer
                  type: subscription
                  unique: [customer]
                  when: { status: { not: [canceled, incomplete_expired] } }
                - name: one company per tax id
                  type: company
                  unique: [tax_id]
            """);
        await rig.SendAsync("billing", """{"type":"customer","external_id":"cus_A","fields":{"email":"ap@acme.example","name":"Acme"}}""");
        await Subscription(rig, "sub_1", "cus_A", "Pro", "active");
        await Subscription(rig, "sub_2", "cus_A", "Add-on", "unpaid");
        await Subscription(rig, "sub_3", "cus_A", "Pro", "active");

        // Two findings, not three: the built-in rule (same customer and plan) is replaced, not added to.
        var alerts = await Open(rig, "double-billing");
        Assert.Equal(2, alerts.Count);
        Assert.All(alerts, a => Assert.Equal("one live subscription per customer", a.Rule));
        Assert.Contains("customer", alerts[0].Message, StringComparison.Ordinal);

        await rig.SendAsync("crm", """{"type":"company","external_id":"co1","fields":{"name":"Acme","domain":"acme.example","tax_id":"GB 123 4567 89"}}""");
        await rig.SendAsync("crm", """{"type":"company","external_id":"co2","fields":{"name":"Acme Ltd","domain":"acme-ltd.example","tax_id":"gb 123 4567 89"}}""");
        var warning = Assert.Single(await Open(rig, "cardinality"));
        Assert.Equal(("warning", "one company per tax id"), (warning.Severity, warning.Rule));
        var (co1, co2) = (await IdOf(rig, "crm", "company", "co1"), await IdOf(rig, "crm", "company", "co2"));
        Assert.Contains($"{co1} and {co2}", warning.Message, StringComparison.Ordinal);

        await rig.SendAsync("crm", """{"type":"company","external_id":"co3","fields":{"name":"Other","domain":"other.example","tax_id":"n/a"}}""");
        await rig.SendAsync("crm", """{"type":"company","external_id":"co4","fields":{"name":"Another","domain":"another.example","tax_id":"N/A"}}""");
        Assert.Single(await Open(rig, "cardinality"));

        await rig.SendAsync("crm", """{"type":"company","external_id":"co2","fields":{"tax_id":"GB 999 0000 12"}}""");
        Assert.Empty(await Open(rig, "cardinality"));
        Assert.NotNull(Assert.Single(await rig.Store.QueryFindingsAsync(new FindingQuery(Kind: "cardinality", OpenOnly: false), default)).ResolvedAt);
    }

    [Fact]
    public async Task MergingTwoCustomersABillingSystemHolds_ReportsBothVendorIds_AndTheUnmergeResolvesIt()
    {
        await using var rig = await Rig();
        await rig.SendAsync("billing", """{"type":"customer","external_id":"cus_A","fields":{"email":"ap@acme.example","name":"Acme"}}""");
        await rig.SendAsync("billing", """{"type":"customer","external_id":"cus_B","fields":{"email":"accounts.payable@acme.example","name":"Acme Corp"}}""");
        var (a, b) = (await IdOf(rig, "billing", "customer", "cus_A"), await IdOf(rig, "billing", "customer", "cus_B"));
        Assert.NotEqual(a, b);
        Assert.Empty(await Open(rig, "duplicate-in-system"));

        var merge = await rig.Store.ExecuteAsync(tx => rig.Merger.Merge(tx, "customer", a, b, "steward"), default);

        var finding = Assert.Single(await Open(rig, "duplicate-in-system"));
        Assert.Equal(("warning", "billing", a, "one id per system"), (finding.Severity, finding.System, finding.RecordId, finding.Rule));
        Assert.Contains("billing has this customer twice, as cus_A and cus_B", finding.Message, StringComparison.Ordinal);
        Assert.Contains("merge them in billing", finding.Message, StringComparison.Ordinal);

        await rig.Store.ExecuteAsync(tx => rig.Merger.Unmerge(tx, merge.Merge.Id), default);
        Assert.Empty(await Open(rig, "duplicate-in-system"));
    }

    [Fact]
    public async Task LinksRules_CanAllowASecondIdOrNone_AndNameTheRule()
    {
        await using var rig = await Rig("""
            guardrails:
              rules:
                - name: billing keeps a customer per currency
                  type: customer
                  links: { system: billing, max: 2 }
                - name: crm may split customers
                  type: customer
                  links: { system: crm, max: any }
            """);
        foreach (var (system, id) in new[] { ("crm", "c1"), ("crm", "c2"), ("billing", "cus_A"), ("billing", "cus_B") })
        {
            await rig.SendAsync(system, $$$"""{"type":"customer","external_id":"{{{id}}}","fields":{"email":"ap@acme.example","name":"Acme"}}""");
        }

        Assert.Empty(await Open(rig, "duplicate-in-system"));

        await rig.SendAsync("billing", """{"type":"customer","external_id":"cus_C","fields":{"email":"AP@acme.example","name":"Acme"}}""");
        var finding = Assert.Single(await Open(rig, "duplicate-in-system"));
        Assert.Equal(("billing", "billing keeps a customer per currency"), (finding.System, finding.Rule));
        Assert.Contains("billing has this customer three times, as cus_A, cus_B and cus_C (rule \"billing keeps a customer per currency\" allows 2)", finding.Message, StringComparison.Ordinal);

        // billing deletes its third copy: the golden record lives on, and the finding goes.
        await rig.SendAsync("billing", """{"type":"customer","external_id":"cus_C","deleted":true}""");
        Assert.Empty(await Open(rig, "duplicate-in-system"));
        Assert.Single(await rig.Store.SearchAsync("customer", "acme.example", 10, default));
    }

    [Fact]
    public async Task BlockedValues_NeverClaimIdentity_BuiltInOrWritten()
    {
        await using var rig = await Rig("""
            guardrails:
              blocked_values:
                customer:
                  email: ["*@mailinator.example"]
                  phone: ["555 0100*"]
            """);
        var people = new[]
        {
            ("c1", "info@acme.example", "+1 415 555 0101"), ("c2", "INFO@acme.example", "+1 415 555 0102"),
            ("c3", "ann@acme.example", "000 000 0000"), ("c4", "bob@acme.example", "(000) 000-0000"),
            ("c5", "x@mailinator.example", "+1 415 555 0105"), ("c6", "X@mailinator.example", "+1 415 555 0106"),
            ("c7", "cy@acme.example", "555 0100 22"), ("c8", "di@acme.example", "555 0100 22"),
        };
        foreach (var (id, email, phone) in people)
        {
            await rig.SendAsync("crm", $$$"""{"type":"customer","external_id":"{{{id}}}","fields":{"email":"{{{email}}}","phone":"{{{phone}}}","name":"{{{id}}}"}}""");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, _, _) in people)
        {
            ids.Add(await IdOf(rig, "crm", "customer", id));
        }

        Assert.Equal(people.Length, ids.Count);
        Assert.Empty(await Open(rig, "possible-duplicate"));
        Assert.Empty(await Open(rig, "duplicate-in-system"));

        // A real shared value still identifies: the control that the keys are in use at all.
        await rig.SendAsync("crm", """{"type":"customer","external_id":"c9","fields":{"email":"Ann@acme.example","name":"Ann"}}""");
        Assert.Single(await Open(rig, "duplicate-in-system"));
    }
}
