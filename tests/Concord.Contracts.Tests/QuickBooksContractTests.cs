using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Connectors.QuickBooks;
using Concord.Core.Sync;
using Concord.Engine.Connectors;
using Concord.Engine.Intake;
using Concord.Engine.Storage;
using Concord.Sandboxes.QuickBooks;
using Concord.Testing;

namespace Concord.Contracts.Tests;

/// <summary>
/// QuickBooks publishes no OpenAPI, so its contract is Intuit's XSD: every write the connector makes
/// goes to the sandbox with the XSD check on and must pass it; and the check itself must catch
/// unknown and mistyped properties, or passing it would mean nothing.
/// </summary>
public sealed class QuickBooksContractTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Secrets = new() { ["QB_SECRET"] = "qb-secret", ["QB_REFRESH"] = "rt-initial", ["CRM_SECRET"] = "crm" };
    private static readonly string XsdFolder = Path.GetDirectoryName(RepoPaths.VendorSpec("quickbooks/IntuitRestServiceDef.xsd"))!;
    private readonly MemoryLinks _links = new();
    private readonly HttpClient _http = new();
    private QuickBooksSandbox _qbo = null!;
    private IOutboundConnector _outbound = null!;
    private IRecordReader _records = null!;

    public async Task InitializeAsync()
    {
        _qbo = new QuickBooksSandbox("qbo", xsdFolder: XsdFolder);
        await _qbo.StartAsync();
        var config = TestConfigs.Load($$"""
            version: 1
            systems:
              crm: { kind: webhook, settings: { secret: { env: CRM_SECRET } } }
              qbo:
                kind: quickbooks
                settings:
                  client_id: {{_qbo.ClientId}}
                  client_secret: { env: QB_SECRET }
                  refresh_token: { env: QB_REFRESH }
                  realm_id: "{{_qbo.RealmId}}"
                  base_url: {{_qbo.Url}}
                  token_url: {{_qbo.TokenUrl}}
            entities:
              customer: { owner: crm }
              invoice: { owner: crm }
              payment: { owner: crm }
            syncs:
              - { system: crm, type: customer, direction: pull }
              - { system: crm, type: invoice, direction: pull }
              - { system: crm, type: payment, direction: pull }
              - { system: qbo, type: customer, direction: push }
              - { system: qbo, type: invoice, direction: push }
              - { system: qbo, type: payment, direction: push }
            """, Secrets.GetValueOrDefault);
        var parts = new QuickBooksConnector.Kind().Create(config.Systems["qbo"], new ConnectorContext
        {
            Http = _http,
            Time = TimeProvider.System,
            Intake = new ChangeIntake(new SyncPlan(config), TimeProvider.System),
            Links = _links,
            Credentials = new MemoryCredentials(),
            Environment = Secrets.GetValueOrDefault,
        });
        _outbound = parts.Outbound!;
        _records = parts.Records!;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _qbo.DisposeAsync();
    }

    private Task<OutboundResult> Send(string type, JsonObject fields, string? externalId = null, string operation = "upsert") => _outbound.SendAsync(new Delivery
    {
        System = "qbo",
        Type = type,
        RecordId = "rec",
        Operation = operation,
        Payload = fields.ToJsonString(),
        Changed = "[]",
        IdempotencyKey = Guid.NewGuid().ToString("N"),
        CorrelationId = "c",
        ExternalId = externalId,
    }, default);

    [Fact]
    public async Task EveryWriteTheConnectorMakes_FollowsIntuitsSchema()
    {
        var customer = await Send("customer", new JsonObject
        {
            ["name"] = "Ann Lee", ["email"] = "ann@example.com", ["first_name"] = "Ann", ["last_name"] = "Lee", ["company"] = "Lee & Co", ["phone"] = "+1 555 0100",
            ["address_line1"] = "1 Main St", ["city"] = "Austin", ["region"] = "TX", ["postal_code"] = "73301", ["country"] = "US", ["notes"] = "VIP", ["currency"] = "usd",
        });
        await Send("customer", new JsonObject { ["name"] = "Ann Lee-Park", ["phone"] = "+1 555 0199" }, customer.ExternalId);
        _links.Ids["rec_ann"] = customer.ExternalId!;

        var invoice = await Send("invoice", new JsonObject
        {
            ["number"] = "INV-1", ["customer"] = "rec_ann", ["amount"] = 120.5m, ["amount_due"] = 120.5m, ["issue_date"] = "2026-11-01", ["due_date"] = "2026-12-01",
            ["customer_email"] = "billing@example.com", ["description"] = "Consulting, November", ["currency"] = "usd",
        });
        await Send("invoice", new JsonObject { ["due_date"] = "2026-12-15", ["amount"] = 130m }, invoice.ExternalId);
        _links.Ids["rec_inv"] = invoice.ExternalId!;

        var payment = await Send("payment", new JsonObject { ["amount"] = 50m, ["customer"] = "rec_ann", ["invoice"] = "rec_inv", ["paid_at"] = "2026-11-20", ["currency"] = "usd" });

        var spare = await Send("invoice", new JsonObject { ["customer"] = "rec_ann", ["amount"] = 1m });
        await Send("invoice", [], spare.ExternalId, "delete");
        await Send("customer", [], customer.ExternalId, "delete");

        Assert.Empty(_qbo.SchemaRejections);
        Assert.NotNull(payment.ExternalId);
        Assert.Equal(8, _qbo.Requests.Count(r => r.Method == "POST" && r.PathAndQuery.StartsWith("/v3/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ListingRecordsForVerification_PagesWithStartPositionAndMaxResults()
    {
        foreach (var name in new[] { "Ann Lee", "Bob Lee", "Cat Lee" })
        {
            await Send("customer", new JsonObject { ["name"] = name, ["email"] = name.Split(' ')[0].ToLowerInvariant() + "@example.com" });
        }

        var first = await _records.ReadAsync("customer", null, 2, default);
        var second = await _records.ReadAsync("customer", first.Next, 2, default);

        Assert.Equal(["Ann Lee", "Bob Lee"], first.Records.Select(r => (string?)r.Fields["name"]));
        Assert.Equal(["Cat Lee"], second.Records.Select(r => (string?)r.Fields["name"]));
        Assert.Null(second.Next);
        Assert.Contains(_qbo.Requests, r => r.Method == "GET" && Uri.UnescapeDataString(r.PathAndQuery).Contains("SELECT * FROM Customer STARTPOSITION 3 MAXRESULTS 2", StringComparison.Ordinal));
        Assert.Equal("cat@example.com", (string?)second.Records.Single().Fields["email"]);
    }

    [Fact]
    public void AnUnknownProperty_IsCaught()
    {
        var problems = _qbo.Schema!.Validate("Customer", new JsonObject { ["DisplayName"] = "Ann", ["Nickname"] = "A" });
        Assert.Contains(problems, p => p.Contains("Nickname", StringComparison.Ordinal));
    }

    [Fact]
    public void AMistypedValue_IsCaught()
    {
        Assert.NotEmpty(_qbo.Schema!.Validate("Customer", new JsonObject { ["DisplayName"] = "Ann", ["Active"] = "yes" }));
        Assert.NotEmpty(_qbo.Schema.Validate("Invoice", new JsonObject { ["CustomerRef"] = new JsonObject { ["value"] = "1" }, ["DueDate"] = "next week" }));
        Assert.NotEmpty(_qbo.Schema.Validate("Payment", new JsonObject { ["TotalAmt"] = "fifty" }));
    }

    [Fact]
    public void PropertyOrder_IsNotAMistake_ForJsonHasNone()
    {
        // Reverse of the XSD order (the sequence has Id, SyncToken before DisplayName, Active after).
        var body = new JsonObject { ["Active"] = true, ["PrimaryEmailAddr"] = new JsonObject { ["Address"] = "a@b.co" }, ["DisplayName"] = "Ann", ["SyncToken"] = "0", ["Id"] = "1", ["sparse"] = true };
        Assert.Empty(_qbo.Schema!.Validate("Customer", body));
    }

    [Fact]
    public async Task TheSandbox_AnswersABodyThatBreaksTheSchema_WithValidationFault2010()
    {
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, _qbo.TokenUrl)
        {
            Content = new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("refresh_token", "rt-initial")]),
        };
        tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_qbo.ClientId}:{_qbo.ClientSecret}")));
        var token = JsonNode.Parse(await (await _http.SendAsync(tokenRequest)).Content.ReadAsStringAsync())!["access_token"]!.ToString();

        using var request = new HttpRequestMessage(HttpMethod.Post, $"{_qbo.Url}/v3/company/{_qbo.RealmId}/customer?minorversion=75")
        {
            Content = new StringContent("""{"DisplayName":"Ann","FavouriteColour":"blue"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        var fault = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["Fault"]!;
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("ValidationFault", fault["type"]!.ToString());
        Assert.Equal("2010", fault["Error"]![0]!["code"]!.ToString());
        Assert.Contains("FavouriteColour", fault["Error"]![0]!["Detail"]!.ToString(), StringComparison.Ordinal);
        Assert.Empty(_qbo.Customers);
    }
}
