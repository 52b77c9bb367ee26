using System.Text.Json.Nodes;
using Concord.Core.Flows.Model;
using Concord.Core.Flows.Text;
using Concord.Engine.Flows;
using Concord.Engine.Flows.Steps;
using Concord.Testing;

namespace Concord.Engine.Tests.Flows.Steps;

/// <summary>Drafts read against golden customers in a real SQLite store.</summary>
public sealed class DraftInvoiceStepHandlerTests : IAsyncLifetime
{
    private const string Yaml = """
        version: 1
        systems:
          crm: { kind: http, settings: { url: "http://127.0.0.1:1/crm", webhook_secret: { env: S } } }
        entities:
          customer: { owner: crm, identity: [email] }
          company: { owner: crm, identity: [domain] }
        syncs:
          - { system: crm, type: customer, direction: two-way }
          - { system: crm, type: company, direction: two-way }
        """;

    private PipelineRig _rig = null!;

    public async Task InitializeAsync()
    {
        _rig = await PipelineRig.StartAsync(Yaml, matchOnArrival: false);
        _rig.Time.Advance(new DateTimeOffset(2026, 11, 18, 11, 30, 0, TimeSpan.Zero) - _rig.Time.GetUtcNow());
        await AddCustomerAsync("c1", "Jane Doe", "jane@northwind.example", "Northwind Traders");
        await AddCustomerAsync("c2", "Bob Stone", "bob@acme.example", "Acme Corp");
        await AddCustomerAsync("c3", "Ann Pipe", "ann@acmeplumbing.example", "Acme Plumbing");
    }

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private Task AddCustomerAsync(string id, string name, string email, string company) => _rig.SendAsync("crm",
        $$"""{ "changes": [ { "type": "customer", "external_id": "{{id}}", "fields": { "name": "{{name}}", "email": "{{email}}", "company": "{{company}}" } } ] }""");

    private DraftInvoiceStepHandler Handler(TimeSpan? freshness = null) => new(new StoreCustomerDirectory(_rig.Store, _rig.Time, freshness), _rig.Time);

    private async Task<string> IdOfAsync(string email) => (await _rig.Store.SearchAsync("customer", email, 1, default)).Single().Id;

    private async Task<JsonObject> DraftAsync(string args, bool dryRun = false, DraftInvoiceStepHandler? handler = null) =>
        Steps.Output(await (handler ?? Handler()).RunAsync(Steps.Run(StepAction.DraftInvoice, args, dryRun, id: "draft"), default));

    [Fact]
    public async Task TheSentence_BecomesADraft_ForTheGoldenCustomerItNames()
    {
        var draft = await DraftAsync("""{ "text": "Invoice Northwind Traders $3,200 for brand refresh, due in 14 days", "currency": "usd" }""");

        Assert.Equal(await IdOfAsync("jane@northwind.example"), (string?)draft["customer_id"]);
        Assert.Equal("Jane Doe", (string?)draft["customer_name"]);
        Assert.Equal("alias", (string?)draft["customer_match"]!["kind"]);
        Assert.Equal(3200m, (decimal)draft["amount"]!);
        Assert.Equal(320000, (long)draft["amount_minor"]!);
        Assert.Equal("USD", (string?)draft["currency"]);
        Assert.Equal("2026-11-18", (string?)draft["issue_date"]);
        Assert.Equal("2026-12-02", (string?)draft["due_date"]);
        Assert.Equal("brand refresh", (string?)draft["description"]);
        Assert.Equal("""[{"description":"brand refresh","amount":3200}]""", draft["lines"]!.ToJsonString());
        Assert.Empty(draft["warnings"]!.AsArray());
        Assert.Empty(draft["problems"]!.AsArray());
    }

    [Fact]
    public async Task TheCurrencyDefaultsToEuro_LinesAreKept_AndMissingTermsAreAWarning()
    {
        var draft = await DraftAsync("""{ "text": "Invoice jane@northwind.example 10 hours at 95 for on-site support" }""");

        Assert.Equal("email", (string?)draft["customer_match"]!["kind"]);
        Assert.Equal("EUR", (string?)draft["currency"]);
        Assert.Equal(950m, (decimal)draft["amount"]!);
        var line = Assert.Single(draft["lines"]!.AsArray())!;
        Assert.Equal("on-site support (10 hours × 95.00)", (string?)line["description"]);
        Assert.Equal(10m, (decimal)line["quantity"]!);
        Assert.Equal("hours", (string?)line["unit"]);
        Assert.Equal(95m, (decimal)line["unit_price"]!);
        Assert.Null(draft["due_date"]);
        Assert.Contains("no due date given", (string?)draft["warnings"]![0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACloseSpelling_IsAcceptedWithAWarningToCheck()
    {
        var draft = await DraftAsync("""{ "text": "Invoice Northwnd Traders €200 for parts, net 30" }""");

        Assert.Equal("fuzzy", (string?)draft["customer_match"]!["kind"]);
        Assert.Contains("'Northwnd Traders' was read as Jane Doe by a close spelling", (string?)draft["warnings"]![0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheWritersZone_DecidesToday()
    {
        // 11:30 UTC on the 18th is already the 19th in Auckland (UTC+13 in November).
        var draft = await DraftAsync("""{ "text": "Invoice Acme Corp $450 for hosting, due tomorrow", "timezone": "Pacific/Auckland" }""");

        Assert.Equal("2026-11-19", (string?)draft["issue_date"]);
        Assert.Equal("2026-11-20", (string?)draft["due_date"]);
    }

    [Theory]
    [InlineData("Invoice Acme $500 for pipes", "two customers match 'Acme': Ann Pipe, Bob Stone — say which", "ambiguous-customer")]
    [InlineData("Invoice Nobody Inc $99 for design", "no customer matches 'Nobody Inc'", "unknown-customer")]
    [InlineData("Invoice Northwind Traders for brand refresh", "no amount found", "no-amount")]
    [InlineData("Please make an invoice", "start with 'Invoice'", "no-verb")]
    public async Task ATextThatDoesNotSettleOneCustomerAndAmount_FailsForGood_WithTheParsersWords(string text, string message, string code)
    {
        var failed = await Assert.ThrowsAsync<StepFailedException>(() => DraftAsync($$"""{ "text": "{{text}}" }"""));

        Assert.False(failed.Retryable);
        Assert.StartsWith($"step 'draft': could not draft an invoice from \"{text}\": ", failed.Message, StringComparison.Ordinal);
        Assert.Contains(message, failed.Message, StringComparison.Ordinal);
        Assert.Contains(failed.Detail!["problems"]!.AsArray(), p => (string?)p!["code"] == code);
    }

    [Fact]
    public async Task ADryRun_DraftsTheSame()
    {
        var draft = await DraftAsync("""{ "text": "Invoice Acme Corp $450 for hosting" }""", dryRun: true);

        Assert.Equal(await IdOfAsync("bob@acme.example"), (string?)draft["customer_id"]);
    }

    [Fact]
    public async Task OtherTypes_AreTheirOwnDirectory()
    {
        await _rig.SendAsync("crm", """{ "changes": [ { "type": "company", "external_id": "co1", "fields": { "name": "Globex Corporation", "domain": "globex.example" } } ] }""");

        var draft = await DraftAsync("""{ "text": "Invoice globex.example $99 for support", "type": "company" }""");
        var failed = await Assert.ThrowsAsync<StepFailedException>(() => DraftAsync("""{ "text": "Invoice globex.example $99 for support" }"""));

        Assert.Equal("Globex Corporation", (string?)draft["customer_name"]);
        Assert.Contains("no customer matches 'globex.example'", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDirectory_IsReadOnceWhileFresh_ThenAgain()
    {
        var handler = Handler(TimeSpan.FromSeconds(30));
        await DraftAsync("""{ "text": "Invoice Acme Corp $450 for hosting" }""", handler: handler);
        await AddCustomerAsync("c4", "Hank Hooli", "hank@hooli.example", "Hooli");

        var stale = await Assert.ThrowsAsync<StepFailedException>(() => DraftAsync("""{ "text": "Invoice Hooli $10 for tea" }""", handler: handler));
        _rig.Time.Advance(TimeSpan.FromSeconds(30));
        var fresh = await DraftAsync("""{ "text": "Invoice Hooli $10 for tea" }""", handler: handler);

        Assert.Contains("no customer matches 'Hooli'", stale.Message, StringComparison.Ordinal);
        Assert.Equal("Hank Hooli", (string?)fresh["customer_name"]);
    }

    [Theory]
    [InlineData("""{ "text": "" }""", "text must be non-empty text")]
    [InlineData("""{ }""", "text is required")]
    [InlineData("""{ "text": "Invoice Acme Corp $1", "currency": "euro" }""", "currency must be an ISO 4217 code")]
    [InlineData("""{ "text": "Invoice Acme Corp $1", "timezone": "Mars/Olympus" }""", "'Mars/Olympus' is not a time zone")]
    public async Task ArgumentsThatCannotWork_FailForGood(string args, string message)
    {
        var failed = await Assert.ThrowsAsync<StepFailedException>(() => DraftAsync(args));

        Assert.False(failed.Retryable);
        Assert.Contains(message, failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARecord_IsNamedByItsName_WithCompanyAndDomainsAsAliases()
    {
        var record = new Core.Records.GoldenRecord { Id = "rec_1", Type = "customer" };
        record.Fields["email"] = new Core.Records.FieldValue { Value = "ap@northwind.example" };
        record.Fields["company"] = new Core.Records.FieldValue { Value = "Northwind Traders" };
        record.Fields["company_domain"] = new Core.Records.FieldValue { Value = "northwind.example" };

        var named = StoreCustomerDirectory.From(record)!;
        record.Fields["name"] = new Core.Records.FieldValue { Value = "Jane Doe" };
        var withName = StoreCustomerDirectory.From(record)!;

        Assert.Equal(new DirectoryCustomer("rec_1", "Northwind Traders"), named with { Aliases = null, Emails = null });
        Assert.Equal(["northwind.example"], named.Aliases!);
        Assert.Equal("Jane Doe", withName.Name);
        Assert.Equal(["Northwind Traders", "northwind.example"], withName.Aliases!);
        Assert.Equal(["ap@northwind.example"], withName.Emails!);
        Assert.Null(StoreCustomerDirectory.From(new Core.Records.GoldenRecord { Id = "rec_2", Type = "customer" }));
    }
}
