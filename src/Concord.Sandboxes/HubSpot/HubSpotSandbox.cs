using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Concord.Sandboxes.HubSpot;

/// <summary>
/// A stateful stand-in for HubSpot's CRM API: contacts, companies and deals (v3 objects, batch
/// upsert, search with its result window), v4 default associations, private-app Bearer auth, and
/// HubSpot's error bodies (401 INVALID_AUTHENTICATION, 409 CONFLICT for a duplicate email, 429 with
/// <c>policyName</c>). Changes made through the public methods — "a person in HubSpot" — post
/// webhooks to the hub signed with the v3 scheme.
/// </summary>
public sealed partial class HubSpotSandbox(string name, string accessToken, string clientSecret) : VendorSandbox(name)
{
    private static readonly string[] Objects = ["contacts", "companies", "deals"];

    public HubSpotObjectStore Store { get; } = new();

    public string AccessToken { get; set; } = accessToken;

    public string ClientSecret { get; } = clientSecret;

    /// <summary>The public URL the webhooks claim to be sent to (what v3 signs); default <c>{HubUrl}/hooks/{Name}</c>.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The most results a search may page through (HubSpot: 10,000); small in tests.</summary>
    public int SearchWindow { get; set; } = 10_000;

    /// <summary>The time records are stamped with; a fixed clock makes modification times tie.</summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>The <c>policyName</c> a throttled call reports: <c>TEN_SECONDLY_ROLLING</c> or <c>DAILY</c>.</summary>
    public string ThrottlePolicy { get; set; } = "TEN_SECONDLY_ROLLING";

    public IReadOnlyList<HubSpotRecord> All(string obj) => Store.All(obj);

    public HubSpotRecord? Get(string obj, string id) => Store.Get(obj, id);

    public HubSpotRecord? Find(string obj, Func<HubSpotRecord, bool> match) => Store.All(obj).FirstOrDefault(match);

    /// <summary>The most inputs one batch read of associations takes (HubSpot's limit since January 2025).</summary>
    public const int AssociationBatchLimit = 100;

    protected override void MapRoutes(WebApplication app)
    {
        app.MapGet("/crm/v3/objects/{obj}", (string obj, HttpContext http) => Guard(http, obj) ?? List(obj, http.Request.Query));
        app.MapPost("/crm/v3/objects/{obj}", async (string obj, HttpContext http) => Guard(http, obj) ?? Create(obj, await Body(http)));
        app.MapGet("/crm/v3/objects/{obj}/{id}", (string obj, string id, HttpContext http) => Guard(http, obj) ?? Read(obj, id, http.Request.Query));
        app.MapPatch("/crm/v3/objects/{obj}/{id}", async (string obj, string id, HttpContext http) => Guard(http, obj) ?? Patch(obj, id, await Body(http)));
        app.MapDelete("/crm/v3/objects/{obj}/{id}", (string obj, string id, HttpContext http) => Guard(http, obj) ?? Archive(obj, id));
        app.MapPost("/crm/v3/objects/{obj}/batch/upsert", async (string obj, HttpContext http) => Guard(http, obj) ?? Upsert(obj, await Body(http)));
        app.MapPost("/crm/v3/objects/{obj}/search", async (string obj, HttpContext http) => Guard(http, obj) ?? Search(obj, await Body(http)));
        app.MapPut("/crm/v4/objects/{from}/{fromId}/associations/default/{to}/{toId}", (string from, string fromId, string to, string toId, HttpContext http) =>
            Guard(http, from) ?? Guard(http, to) ?? Associate(from, fromId, to, toId));
        app.MapPost("/crm/v4/associations/{from}/{to}/batch/read", async (string from, string to, HttpContext http) =>
            Guard(http, from) ?? Guard(http, to) ?? BatchReadAssociations(from, to, await Body(http)));
        app.MapGet("/crm/v4/objects/{from}/{fromId}/associations/{to}", (string from, string fromId, string to, HttpContext http) =>
            Guard(http, from) ?? Guard(http, to) ?? Results.Json(new JsonObject
            {
                ["results"] = new JsonArray(Store.Associated(from, fromId, to).Select(id => (JsonNode)new JsonObject
                {
                    ["toObjectId"] = long.Parse(id, CultureInfo.InvariantCulture),
                    ["associationTypes"] = new JsonArray(new JsonObject { ["category"] = "HUBSPOT_DEFINED", ["typeId"] = TypeId(from, to), ["label"] = null }),
                }).ToArray()),
            }));
    }

    protected override IResult Throttled(HttpContext context, TimeSpan retryAfter)
    {
        context.Response.Headers["X-HubSpot-RateLimit-Max"] = "100";
        context.Response.Headers["X-HubSpot-RateLimit-Remaining"] = "0";
        context.Response.Headers["X-HubSpot-RateLimit-Interval-Milliseconds"] = "10000";
        return Results.Json(new JsonObject
        {
            ["status"] = "error",
            ["message"] = $"You have reached your {ThrottlePolicy.ToLowerInvariant()} limit.",
            ["errorType"] = "RATE_LIMIT",
            ["correlationId"] = Guid.NewGuid().ToString(),
            ["policyName"] = ThrottlePolicy,
            ["groupName"] = "api-calls",
        }, statusCode: 429);
    }

    protected override IResult Unavailable(HttpContext context) =>
        Error(503, "The service is temporarily unavailable. Please try again later.", "SERVICE_UNAVAILABLE");

    /// <summary>HubSpot's error body.</summary>
    private static IResult Error(int status, string message, string category, JsonObject? context = null) => Results.Json(new JsonObject
    {
        ["status"] = "error",
        ["message"] = message,
        ["correlationId"] = Guid.NewGuid().ToString(),
        ["category"] = category,
        ["context"] = context,
    }, statusCode: status);

    /// <summary>The 401 for a wrong or missing token, the 404 for an unknown object type; null when the call may go on.</summary>
    private IResult? Guard(HttpContext http, string obj)
    {
        var auth = http.Request.Headers.Authorization.ToString();
        if (auth != "Bearer " + AccessToken)
        {
            return Error(401, "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview", "INVALID_AUTHENTICATION");
        }

        return Objects.Contains(obj) ? null : Error(404, $"Unable to infer object type from: {obj}", "OBJECT_NOT_FOUND");
    }

    private static async Task<JsonObject> Body(HttpContext http)
    {
        try
        {
            return await JsonNode.ParseAsync(http.Request.Body) as JsonObject ?? [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }

    private static Dictionary<string, string?> Properties(JsonNode? node)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (k, v) in node as JsonObject ?? [])
        {
            result[k] = v is JsonValue value ? (value.TryGetValue<string>(out var s) ? s : value.ToJsonString()) : v?.ToJsonString();
        }

        return result;
    }

    private static int TypeId(string from, string to) => (from, to) switch
    {
        ("contacts", "companies") => 279,
        ("companies", "contacts") => 280,
        ("deals", "contacts") => 3,
        ("contacts", "deals") => 4,
        ("deals", "companies") => 341,
        ("companies", "deals") => 342,
        _ => 1,
    };
}
