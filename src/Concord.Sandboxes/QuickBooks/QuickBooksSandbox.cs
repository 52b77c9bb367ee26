using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Connectors.QuickBooks;
using Microsoft.AspNetCore.Http;

namespace Concord.Sandboxes.QuickBooks;

/// <summary>
/// A stateful QuickBooks Online company on loopback: the OAuth2 token endpoint (refresh tokens
/// rotate; a used one is dead), customers, invoices and payments with SyncTokens and sparse
/// updates, <c>requestid</c> replay, <c>/query</c>, <c>/cdc</c> and <c>/companyinfo</c>, QuickBooks'
/// Fault bodies, and — given the XSD folder — every request body checked against Intuit's schema.
/// Changes "a person" makes through the public methods are announced to the hub as signed CloudEvents.
/// </summary>
public sealed partial class QuickBooksSandbox : VendorSandbox
{
    /// <summary>Where the token endpoint is, relative to <see cref="VendorSandbox.Url"/>.</summary>
    public const string TokenPath = "/oauth2/v1/tokens/bearer";

    private static readonly HttpClient Webhooks = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<long, JsonObject>> _objects = new(StringComparer.Ordinal)
    {
        ["Customer"] = [],
        ["Invoice"] = [],
        ["Payment"] = [],
    };

    private readonly List<(string Entity, JsonObject Tombstone)> _deleted = [];
    private readonly Dictionary<string, (int Status, string Body)> _replies = new(StringComparer.Ordinal);
    private readonly HashSet<string> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _accessTokens = new(StringComparer.Ordinal);
    private long _nextId = 1;
    private DateTimeOffset _lastStamp;
    private int _webhooksSent;
    private int _refreshes;

    /// <param name="name">The system's name in the hub (webhooks go to <c>/hooks/{name}</c>).</param>
    /// <param name="realmId">The company id.</param>
    /// <param name="clientId">The app's client id.</param>
    /// <param name="clientSecret">The app's client secret.</param>
    /// <param name="refreshToken">The refresh token the app was first given.</param>
    /// <param name="verifierToken">Signs webhooks.</param>
    /// <param name="xsdFolder">The folder of Intuit's XSD files; null accepts any body.</param>
    public QuickBooksSandbox(string name = "quickbooks", string realmId = "9341452", string clientId = "qb-client", string clientSecret = "qb-secret",
        string refreshToken = "rt-initial", string verifierToken = "qb-verifier", string? xsdFolder = null)
        : base(name)
    {
        RealmId = realmId;
        ClientId = clientId;
        ClientSecret = clientSecret;
        VerifierToken = verifierToken;
        _refreshTokens.Add(refreshToken);
        Schema = xsdFolder is null ? null : QuickBooksSchema.Load(xsdFolder);
    }

    public string RealmId { get; }

    public string ClientId { get; }

    public string ClientSecret { get; }

    public string VerifierToken { get; }

    /// <summary>The XSD check of request bodies; null when the sandbox was started without it.</summary>
    public QuickBooksSchema? Schema { get; }

    public string TokenUrl => Url + TokenPath;

    /// <summary>The most objects one <c>/cdc</c> response holds (QuickBooks: 1,000); lower it to test paging.</summary>
    public int CdcLimit { get; set; } = 1000;

    /// <summary>
    /// Fill a capped change-data-capture response one entity type after another (each oldest first)
    /// rather than oldest first across all types: Intuit does not document the order, so a poller
    /// must be right either way.
    /// </summary>
    public bool CdcCutsPerEntity { get; set; }

    /// <summary>Webhooks posted to the hub.</summary>
    public int WebhooksSent => _webhooksSent;

    /// <summary>Successful refresh-token grants.</summary>
    public int Refreshes => _refreshes;

    /// <summary>Bodies the XSD check refused, with the reasons.</summary>
    public List<string> SchemaRejections { get; } = [];

    /// <summary>The refresh tokens still valid (one after each refresh: the newest).</summary>
    public IReadOnlyCollection<string> ValidRefreshTokens
    {
        get
        {
            lock (_gate)
            {
                return _refreshTokens.ToArray();
            }
        }
    }

    /// <summary>
    /// While true the company's subscription has ended (trial over, cancelled, or a billing problem):
    /// QuickBooks keeps the company read-only, so every write the app makes is refused with 400,
    /// <c>ValidationFault</c> 6190 Invalid Company Status, however often it is sent, until the owner
    /// subscribes again. Reads go on working.
    /// </summary>
    public bool SubscriptionLapsed { get; set; }

    /// <summary>
    /// How long each new refresh token lasts, as the token endpoint states it in <c>x_refresh_token_expires_in</c>
    /// (Intuit's is about 100 days; shorten it to make a connection expire soon).
    /// </summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromSeconds(8726400);

    /// <summary>Every access token issued stops working, as when an hour has passed.</summary>
    public void ExpireAccessTokens()
    {
        lock (_gate)
        {
            _accessTokens.Clear();
        }
    }

    /// <summary>A copy of one object, or null.</summary>
    public JsonObject? Get(string entity, string id)
    {
        lock (_gate)
        {
            return long.TryParse(id, CultureInfo.InvariantCulture, out var n) && _objects[entity].TryGetValue(n, out var o) ? (JsonObject)o.DeepClone() : null;
        }
    }

    /// <summary>Copies of all objects of one entity (<c>Customer</c>, <c>Invoice</c>, <c>Payment</c>).</summary>
    public IReadOnlyList<JsonObject> All(string entity)
    {
        lock (_gate)
        {
            return _objects[entity].Values.Select(o => (JsonObject)o.DeepClone()).ToList();
        }
    }

    public IReadOnlyList<JsonObject> Customers => All("Customer");

    public IReadOnlyList<JsonObject> Invoices => All("Invoice");

    public IReadOnlyList<JsonObject> Payments => All("Payment");

    /// <summary>A person adds a customer in QuickBooks.</summary>
    public Task<JsonObject> CreateCustomerAsync(string displayName, string? email = null, JsonObject? more = null)
    {
        var body = more is null ? [] : (JsonObject)more.DeepClone();
        body["DisplayName"] = displayName;
        if (email is not null)
        {
            body["PrimaryEmailAddr"] = new JsonObject { ["Address"] = email };
        }

        return PersonWritesAsync("Customer", body, "created");
    }

    /// <summary>A person edits a customer (the fields given replace the ones it has).</summary>
    public Task<JsonObject> UpdateCustomerAsync(string id, JsonObject changes) => PersonUpdatesAsync("Customer", id, changes);

    /// <summary>A person makes a customer inactive, QuickBooks' way of deleting one.</summary>
    public Task<JsonObject> DeactivateCustomerAsync(string id) => PersonUpdatesAsync("Customer", id, new JsonObject { ["Active"] = false });

    /// <summary>A person writes an invoice for a customer with one line of <paramref name="amount"/>.</summary>
    public Task<JsonObject> CreateInvoiceAsync(string customerId, decimal amount, string? docNumber = null)
    {
        var body = new JsonObject
        {
            ["CustomerRef"] = new JsonObject { ["value"] = customerId },
            ["Line"] = new JsonArray(new JsonObject
            {
                ["Amount"] = amount,
                ["DetailType"] = "SalesItemLineDetail",
                ["SalesItemLineDetail"] = new JsonObject { ["ItemRef"] = new JsonObject { ["value"] = "1" } },
            }),
        };
        if (docNumber is not null)
        {
            body["DocNumber"] = docNumber;
        }

        return PersonWritesAsync("Invoice", body, "created");
    }

    /// <summary>A person edits an invoice.</summary>
    public Task<JsonObject> UpdateInvoiceAsync(string id, JsonObject changes) => PersonUpdatesAsync("Invoice", id, changes);

    /// <summary>A person deletes an invoice.</summary>
    public async Task DeleteInvoiceAsync(string id)
    {
        JsonObject reply;
        lock (_gate)
        {
            var current = _objects["Invoice"][long.Parse(id, CultureInfo.InvariantCulture)];
            (_, reply) = Delete("Invoice", new JsonObject { ["Id"] = id, ["SyncToken"] = current["SyncToken"]!.ToString() });
        }

        await AnnounceAsync("Invoice", id, "deleted");
    }

    /// <summary>A person records a payment of an invoice.</summary>
    public Task<JsonObject> CreatePaymentAsync(string customerId, decimal amount, string? invoiceId = null)
    {
        var body = new JsonObject { ["CustomerRef"] = new JsonObject { ["value"] = customerId }, ["TotalAmt"] = amount };
        if (invoiceId is not null)
        {
            body["Line"] = new JsonArray(new JsonObject
            {
                ["Amount"] = amount,
                ["LinkedTxn"] = new JsonArray(new JsonObject { ["TxnId"] = invoiceId, ["TxnType"] = "Invoice" }),
            });
        }

        return PersonWritesAsync("Payment", body, "created");
    }

    private async Task<JsonObject> PersonUpdatesAsync(string entity, string id, JsonObject changes)
    {
        var body = (JsonObject)changes.DeepClone();
        lock (_gate)
        {
            body["Id"] = id;
            body["SyncToken"] = _objects[entity][long.Parse(id, CultureInfo.InvariantCulture)]["SyncToken"]!.ToString();
            body["sparse"] = true;
        }

        return await PersonWritesAsync(entity, body, "updated");
    }

    private async Task<JsonObject> PersonWritesAsync(string entity, JsonObject body, string operation)
    {
        int status;
        JsonObject reply;
        lock (_gate)
        {
            (status, reply) = Write(entity, body);
        }

        if (status != 200)
        {
            throw new InvalidOperationException($"the sandbox refused the change: {reply.ToJsonString()}");
        }

        var written = (JsonObject)reply[entity]!;
        await AnnounceAsync(entity, written["Id"]!.ToString(), operation);
        return (JsonObject)written.DeepClone();
    }

    /// <summary>Posts a CloudEvent for one change to the hub, signed with <c>intuit-signature</c>.</summary>
    private async Task AnnounceAsync(string entity, string id, string operation)
    {
        if (HubUrl is null)
        {
            return;
        }

        var events = new JsonArray(new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = Guid.NewGuid().ToString(),
            ["source"] = "intuit.sandbox",
            ["type"] = $"qbo.{entity.ToLowerInvariant()}.{operation}.v1",
            ["datacontenttype"] = "application/json",
            ["time"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["intuitentityid"] = id,
            ["intuitaccountid"] = RealmId,
            ["data"] = new JsonObject(),
        });
        var bytes = Encoding.UTF8.GetBytes(events.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{HubUrl}/hooks/{Name}") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(QuickBooksSignature.Header, QuickBooksSignature.Sign(VerifierToken, bytes));
        using var response = await Webhooks.SendAsync(request);
        Interlocked.Increment(ref _webhooksSent);
    }

    protected override IResult Throttled(HttpContext context, TimeSpan retryAfter) =>
        Reply(429, QuickBooksFaults.Fault("ThrottleExceeded", "003001", "message=ThrottleExceeded; errorCode=003001; statusCode=429", "The request limit was reached."));

    protected override IResult Unavailable(HttpContext context) =>
        Reply(503, QuickBooksFaults.Fault("SystemFault", "10000", "An application error has occurred while processing your request", "Service Unavailable"));

    private static IResult Reply(int status, JsonNode body) => Results.Text(body.ToJsonString(), "application/json", Encoding.UTF8, status);

    /// <summary>A later time than any stamp before: writes within one millisecond still order.</summary>
    private string Stamp()
    {
        var now = DateTimeOffset.UtcNow;
        now = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        _lastStamp = now > _lastStamp ? now : _lastStamp.AddMilliseconds(1);
        return _lastStamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }
}
