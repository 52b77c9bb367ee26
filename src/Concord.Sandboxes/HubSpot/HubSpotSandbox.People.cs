using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Connectors.HubSpot;

namespace Concord.Sandboxes.HubSpot;

/// <summary>
/// Changes made "by a person in HubSpot", each followed by the webhook HubSpot sends: a creation
/// event (which carries no properties), one property-change event per property, or a deletion.
/// </summary>
public sealed partial class HubSpotSandbox
{
    private static readonly HttpClient Hooks = new() { Timeout = TimeSpan.FromSeconds(30) };
    private long _eventId = 7_000;

    /// <summary>The status the hub answered the last webhook with.</summary>
    public int? LastWebhookStatus { get; private set; }

    public async Task<HubSpotRecord> CreateAsync(string obj, IReadOnlyDictionary<string, string?> properties)
    {
        var record = Store.Create(obj, properties, Clock());
        await SendWebhookAsync([Event(obj, "creation", record.Id)]);
        return record;
    }

    /// <summary>
    /// A record made already associated with others, as a deal created from a contact's page is
    /// (<paramref name="associations"/>: object → id); HubSpot announces only its creation.
    /// </summary>
    public async Task<HubSpotRecord> CreateAsync(string obj, IReadOnlyDictionary<string, string?> properties, IReadOnlyDictionary<string, string> associations)
    {
        var record = Store.Create(obj, properties, Clock());
        foreach (var (to, toId) in associations)
        {
            Store.Associate(obj, record.Id, to, toId);
        }

        await SendWebhookAsync([Event(obj, "creation", record.Id)]);
        return record;
    }

    public Task<HubSpotRecord> CreateContactAsync(string email, string firstName, string lastName) =>
        CreateAsync("contacts", new Dictionary<string, string?> { ["email"] = email, ["firstname"] = firstName, ["lastname"] = lastName });

    /// <summary>A company made in HubSpot's UI: its name and website domain, as most are.</summary>
    public Task<HubSpotRecord> CreateCompanyAsync(string name, string domain) =>
        CreateAsync("companies", new Dictionary<string, string?> { ["name"] = name, ["domain"] = domain });

    public async Task UpdateAsync(string obj, string id, IReadOnlyDictionary<string, string?> properties)
    {
        var record = Store.Get(obj, id) ?? throw new InvalidOperationException($"no {obj} {id}");
        Store.Update(record, properties, Clock());
        await SendWebhookAsync(properties.Select(p =>
        {
            var e = Event(obj, "propertyChange", id);
            e["propertyName"] = p.Key;
            e["propertyValue"] = p.Value ?? "";
            return e;
        }).ToList());
    }

    public async Task DeleteAsync(string obj, string id)
    {
        Store.Archive(obj, id, Clock());
        await SendWebhookAsync([Event(obj, "deletion", id)]);
    }

    /// <summary>Posts events to the hub signed as HubSpot signs them (v3, and the legacy v1 header it still sends).</summary>
    public async Task SendWebhookAsync(IReadOnlyList<JsonObject> events, DateTimeOffset? at = null)
    {
        if (HubUrl is null || events.Count == 0)
        {
            return;
        }

        var url = $"{HubUrl}/hooks/{Name}";
        var body = new JsonArray(events.Select(e => (JsonNode)e).ToArray()).ToJsonString();
        var ms = (at ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(HubSpotSignature.V3Header, HubSpotSignature.SignV3(ClientSecret, "POST", WebhookUrl ?? url, body, ms));
        request.Headers.Add(HubSpotSignature.TimestampHeader, ms.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(HubSpotSignature.LegacyHeader, HubSpotSignature.SignLegacy(ClientSecret, "v1", "POST", url, body));
        request.Headers.Add(HubSpotSignature.VersionHeader, "v1");
        using var response = await Hooks.SendAsync(request);
        LastWebhookStatus = (int)response.StatusCode;
    }

    /// <summary>One webhook event in HubSpot's shape.</summary>
    public JsonObject Event(string obj, string what, string id) => new()
    {
        ["eventId"] = Interlocked.Increment(ref _eventId),
        ["subscriptionId"] = 2_001,
        ["portalId"] = 62_515,
        ["appId"] = 54_321,
        ["occurredAt"] = Clock().ToUnixTimeMilliseconds(),
        ["subscriptionType"] = $"{Singular(obj)}.{what}",
        ["attemptNumber"] = 0,
        ["objectId"] = long.Parse(id, CultureInfo.InvariantCulture),
        ["changeSource"] = "CRM_UI",
    };

    private static string Singular(string obj) => obj switch
    {
        "contacts" => "contact",
        "companies" => "company",
        _ => "deal",
    };
}
