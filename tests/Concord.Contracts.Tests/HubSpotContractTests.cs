using Concord.Connectors.HubSpot;
using Concord.Core.Sync;
using Concord.Engine.Connectors;
using Concord.Engine.Intake;
using Concord.Engine.Storage;
using Concord.Testing;

namespace Concord.Contracts.Tests;

/// <summary>HubSpot's CRM specifications served by Prism, one per spec the connector uses, started together.</summary>
public sealed class HubSpotPrisms : IAsyncLifetime
{
    public PrismMock Contacts { get; private set; } = null!;

    public PrismMock Companies { get; private set; } = null!;

    public PrismMock Deals { get; private set; } = null!;

    public PrismMock Associations { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var started = await Task.WhenAll(
            PrismMock.StartAsync("hubspot/contacts.v3.json"),
            PrismMock.StartAsync("hubspot/companies.v3.json"),
            PrismMock.StartAsync("hubspot/deals.v3.json"),
            PrismMock.StartAsync("hubspot/associations.v4.json"));
        (Contacts, Companies, Deals, Associations) = (started[0], started[1], started[2], started[3]);
    }

    public async Task DisposeAsync()
    {
        foreach (var prism in new[] { Contacts, Companies, Deals, Associations })
        {
            if (prism is not null)
            {
                await prism.DisposeAsync();
            }
        }
    }
}

/// <summary>
/// Every call the HubSpot connector makes, sent by the connector itself, checked against HubSpot's
/// own specifications: upserts, patches, archives, searches, the token check and associations.
/// </summary>
public sealed class HubSpotContractTests(HubSpotPrisms prisms) : IClassFixture<HubSpotPrisms>
{
    private const string HubSpotUrl = "https://api.hubapi.com";

    [Fact]
    public async Task EveryCallTheConnectorMakes_FollowsHubSpotsSpecifications()
    {
        var router = new SpecRouter(prisms);
        using var http = new HttpClient(router);
        var parts = Connect(http, new Dictionary<string, string> { ["rec_customer"] = "1001", ["rec_company"] = "2002" });

        await Try(() => parts.Verifier!.VerifyAsync(default));
        foreach (var (type, payload) in new[]
        {
            ("customer", """{"email":"ann@example.com","name":"Ann Lee","phone":"+4712345678","city":"Oslo"}"""),
            ("company", """{"name":"Acme","domain":"acme.test","employee_count":12,"annual_revenue":5000.5}"""),
            ("deal", """{"name":"Renewal","amount":990,"currency":"eur","stage":"closedwon","close_date":"2026-12-01","customer":"rec_customer","company":"rec_company"}"""),
        })
        {
            await Try(() => parts.Outbound!.SendAsync(Delivery(type, payload, null, "upsert"), default));
            await Try(() => parts.Outbound!.SendAsync(Delivery(type, payload, "512", "upsert"), default));
            await Try(() => parts.Outbound!.SendAsync(Delivery(type, "{}", "512", "delete"), default));
        }

        foreach (var stream in parts.Poller!.Streams)
        {
            await Try(() => parts.Poller.PollAsync(stream, null, default));
            await Try(() => parts.Poller.PollAsync(stream, "1764000000000|3|501,502", default));
        }

        var calls = router.Calls;
        foreach (var expected in new[]
        {
            "GET /crm/v3/objects/contacts", "POST /crm/v3/objects/contacts/batch/upsert", "PATCH /crm/v3/objects/contacts/512",
            "DELETE /crm/v3/objects/contacts/512", "POST /crm/v3/objects/contacts/search",
            "POST /crm/v3/objects/companies/batch/upsert", "PATCH /crm/v3/objects/companies/512", "DELETE /crm/v3/objects/companies/512", "POST /crm/v3/objects/companies/search",
            "POST /crm/v3/objects/0-3/batch/upsert", "PATCH /crm/v3/objects/0-3/512", "DELETE /crm/v3/objects/0-3/512", "POST /crm/v3/objects/0-3/search",
            "PUT /crm/v4/objects/deals/", "PUT /crm/v4/objects/deals/512/associations/default/contacts/1001",
        })
        {
            Assert.Contains(calls, c => c.What.StartsWith(expected, StringComparison.Ordinal));
        }

        foreach (var (what, response) in calls)
        {
            PrismMock.AssertAccepted(response, what);
        }
    }

    [Fact]
    public async Task CustomersKeptOnCompanies_AreWrittenAndReadAsHubSpotsCompaniesSpecificationSays()
    {
        var router = new SpecRouter(prisms);
        using var http = new HttpClient(router);
        var parts = Connect(http, new Dictionary<string, string> { ["rec_customer"] = "2002" }, customerObject: "companies");

        await Try(() => parts.Verifier!.VerifyAsync(default));
        var customer = """{"name":"Acme Corp","company_domain":"acme.test","phone":"+4712345678","address_line1":"1 Main St","region":"CA","postal_code":"94107","created_at":"2026-01-02T03:04:05Z"}""";
        await Try(() => parts.Outbound!.SendAsync(Delivery("customer", customer, null, "upsert"), default));
        await Try(() => parts.Outbound!.SendAsync(Delivery("customer", customer, "512", "upsert"), default));
        await Try(() => parts.Outbound!.SendAsync(Delivery("customer", "{}", "512", "delete"), default));
        await Try(() => parts.Outbound!.SendAsync(Delivery("deal", """{"name":"Renewal","amount":990,"stage":"closedwon","customer":"rec_customer"}""", "512", "upsert"), default));
        foreach (var stream in parts.Poller!.Streams)
        {
            await Try(() => parts.Poller.PollAsync(stream, null, default));
            await Try(() => parts.Poller.PollAsync(stream, "1764000000000|3|501,502", default));
        }

        var calls = router.Calls;
        foreach (var expected in new[]
        {
            "GET /crm/v3/objects/companies?limit=1", "POST /crm/v3/objects/companies/batch/upsert", "PATCH /crm/v3/objects/companies/512",
            "DELETE /crm/v3/objects/companies/512", "POST /crm/v3/objects/companies/search",
            "PUT /crm/v4/objects/deals/512/associations/default/companies/2002",
        })
        {
            Assert.Contains(calls, c => c.What.StartsWith(expected, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(calls, c => c.What.Contains("/contacts", StringComparison.Ordinal));
        foreach (var (what, response) in calls)
        {
            PrismMock.AssertAccepted(response, what);
        }
    }

    [Fact]
    public async Task ListingRecordsForVerification_FollowsHubSpotsSpecifications()
    {
        var router = new SpecRouter(prisms);
        using var http = new HttpClient(router);
        var records = Connect(http, []).Records!;
        foreach (var type in new[] { "customer", "company", "deal" })
        {
            await Try(() => records.ReadAsync(type, null, 100, default));
            await Try(() => records.ReadAsync(type, "512", 2, default));
        }

        var calls = router.Calls;
        foreach (var expected in new[] { "GET /crm/v3/objects/contacts?limit=100&properties=", "GET /crm/v3/objects/companies?limit=2&", "GET /crm/v3/objects/0-3?limit=100&" })
        {
            Assert.Contains(calls, c => c.What.StartsWith(expected, StringComparison.Ordinal));
        }

        Assert.Contains(calls, c => c.What.Contains("after=512", StringComparison.Ordinal));
        foreach (var (what, response) in calls)
        {
            PrismMock.AssertAccepted(response, what);
        }
    }

    private static async Task Try(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (DeliveryFailedException)
        {
            // Prism's examples are not a stateful HubSpot; what matters here is whether it accepted the request.
        }
    }

    private static SystemConnectors Connect(HttpClient http, Dictionary<string, string> links, string customerObject = "contacts")
    {
        var company = customerObject == "contacts" ? "company: { owner: hubspot }" : "";
        var companySync = customerObject == "contacts" ? "- { system: hubspot, type: company, direction: two-way }" : "";
        var secrets = new Dictionary<string, string> { ["HS_TOKEN"] = "pat-na1-contract", ["HS_CLIENT_SECRET"] = "secret" };
        var config = TestConfigs.Load($$"""
            version: 1
            systems:
              hubspot:
                kind: hubspot
                settings:
                  base_url: {{HubSpotUrl}}
                  access_token: { env: HS_TOKEN }
                  client_secret: { env: HS_CLIENT_SECRET }
                  customer_object: {{customerObject}}
            entities:
              customer: { owner: hubspot }
              {{company}}
              deal: { owner: hubspot }
            syncs:
              - { system: hubspot, type: customer, direction: two-way }
              {{companySync}}
              - { system: hubspot, type: deal, direction: two-way }
            """, secrets.GetValueOrDefault);
        return new HubSpotConnector.Kind().Create(config.Systems["hubspot"], new ConnectorContext
        {
            Http = http,
            Time = TimeProvider.System,
            Intake = new ChangeIntake(new SyncPlan(config), TimeProvider.System),
            Links = MemoryLinks.Of(links),
            Credentials = new MemoryCredentials(),
            Environment = secrets.GetValueOrDefault,
        });
    }

    private static Delivery Delivery(string type, string payload, string? externalId, string operation) => new()
    {
        Id = 1,
        System = "hubspot",
        Type = type,
        RecordId = "rec_" + type,
        Operation = operation,
        Payload = payload,
        Changed = "[]",
        IdempotencyKey = "idem",
        CorrelationId = "corr",
        ExternalId = externalId,
    };

    /// <summary>
    /// Sends each call to the Prism serving its spec, and keeps what Prism said. The deals spec names
    /// the object by its type id (<c>0-3</c>), which HubSpot accepts as a synonym of <c>deals</c>.
    /// </summary>
    private sealed class SpecRouter(HubSpotPrisms prisms) : DelegatingHandler(new HttpClientHandler())
    {
        private readonly List<(string What, HttpResponseMessage Response)> _calls = [];

        public IReadOnlyList<(string What, HttpResponseMessage Response)> Calls
        {
            get
            {
                lock (_calls)
                {
                    return _calls.ToList();
                }
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.PathAndQuery.Replace("/crm/v3/objects/deals", "/crm/v3/objects/0-3", StringComparison.Ordinal);
            var prism = path switch
            {
                _ when path.StartsWith("/crm/v4/", StringComparison.Ordinal) => prisms.Associations,
                _ when path.StartsWith("/crm/v3/objects/contacts", StringComparison.Ordinal) => prisms.Contacts,
                _ when path.StartsWith("/crm/v3/objects/companies", StringComparison.Ordinal) => prisms.Companies,
                _ => prisms.Deals,
            };
            request.RequestUri = new Uri(prism.BaseUrl, path);
            var response = await base.SendAsync(request, cancellationToken);

            // The connector disposes its response; keep a copy of what the assertion reads.
            var kept = new HttpResponseMessage(response.StatusCode);
            if (response.Headers.TryGetValues("sl-violations", out var violations))
            {
                kept.Headers.TryAddWithoutValidation("sl-violations", violations);
            }

            lock (_calls)
            {
                _calls.Add(($"{request.Method} {path}", kept));
            }

            return response;
        }
    }
}
