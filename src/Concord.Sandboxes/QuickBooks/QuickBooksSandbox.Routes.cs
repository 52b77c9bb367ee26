using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Concord.Sandboxes.QuickBooks;

/// <summary>The HTTP surface: the token endpoint and <c>/v3/company/{realm}/…</c>.</summary>
public sealed partial class QuickBooksSandbox
{
    private static readonly Dictionary<string, string> Entities = new(StringComparer.OrdinalIgnoreCase)
    {
        ["customer"] = "Customer",
        ["invoice"] = "Invoice",
        ["payment"] = "Payment",
    };

    protected override void MapRoutes(WebApplication app)
    {
        app.MapPost(TokenPath, Token);
        var company = app.MapGroup("/v3/company/{realm}");
        company.AddEndpointFilter(async (context, next) => Authenticate(context.HttpContext) ?? await next(context));
        company.MapGet("/companyinfo/{id}", (string realm, string id) => id == RealmId
            ? Reply(200, new JsonObject { ["CompanyInfo"] = new JsonObject { ["Id"] = "1", ["CompanyName"] = "Sandbox Company " + RealmId, ["Country"] = "US", ["SyncToken"] = "0" } })
            : Reply(400, QuickBooksFaults.NotFound("CompanyInfo", id)));
        company.MapGet("/query", (HttpRequest request) => Query(request.Query["query"].ToString()));
        company.MapGet("/cdc", (HttpRequest request) => ChangeFeed(request.Query["entities"].ToString(), request.Query["changedSince"].ToString()));
        company.MapGet("/{entity}/{id}", (string entity, string id) =>
        {
            if (!Entities.TryGetValue(entity, out var name))
            {
                return Reply(400, QuickBooksFaults.Validation("4000", "Unsupported entity", $"the sandbox does not keep {entity}"));
            }

            return Get(name, id) is { } found ? Reply(200, Envelope(name, found)) : Reply(400, QuickBooksFaults.NotFound(name, id));
        });
        company.MapPost("/{entity}", WriteRequest);
    }

    /// <summary>The refresh-token grant: Basic client credentials, and each refresh token used once.</summary>
    private async Task<IResult> Token(HttpRequest request)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(ClientId + ":" + ClientSecret));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(request.Headers.Authorization.ToString()), Encoding.UTF8.GetBytes(expected)))
        {
            return Reply(401, new JsonObject { ["error"] = "invalid_client" });
        }

        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "refresh_token")
        {
            return Reply(400, new JsonObject { ["error"] = "unsupported_grant_type" });
        }

        var access = "at-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var refresh = "rt-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        lock (_gate)
        {
            if (!_refreshTokens.Remove(form["refresh_token"].ToString()))
            {
                return Reply(400, new JsonObject { ["error"] = "invalid_grant" });
            }

            _refreshTokens.Add(refresh);
            _accessTokens[access] = DateTimeOffset.UtcNow.AddHours(1);
            _refreshes++;
        }

        return Reply(200, new JsonObject
        {
            ["token_type"] = "bearer",
            ["access_token"] = access,
            ["expires_in"] = 3600,
            ["refresh_token"] = refresh,
            ["x_refresh_token_expires_in"] = (long)RefreshTokenLifetime.TotalSeconds,
        });
    }

    private IResult? Authenticate(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : "";
        lock (_gate)
        {
            if (!_accessTokens.TryGetValue(token, out var expires) || expires < DateTimeOffset.UtcNow)
            {
                return Reply(401, QuickBooksFaults.Authentication(token.Length == 0 ? "Token missing" : "Token expired or revoked"));
            }
        }

        return context.Request.RouteValues["realm"]?.ToString() == RealmId
            ? null
            : Reply(403, QuickBooksFaults.Authorization($"the app is not connected to company {context.Request.RouteValues["realm"]}"));
    }

    private async Task<IResult> WriteRequest(string entity, HttpRequest request)
    {
        if (!Entities.TryGetValue(entity, out var name))
        {
            return Reply(400, QuickBooksFaults.Validation("4000", "Unsupported entity", $"the sandbox does not keep {entity}"));
        }

        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body) as JsonObject;
        }
        catch (JsonException ex)
        {
            return Reply(400, QuickBooksFaults.Validation("2500", "Invalid Reference Id", "Request body is not JSON: " + ex.Message));
        }

        if (body is null)
        {
            return Reply(400, QuickBooksFaults.Invalid("the body must be a JSON object"));
        }

        if (SubscriptionLapsed)
        {
            return Reply(400, QuickBooksFaults.InvalidCompanyStatus());
        }

        if (Schema?.Validate(name, body) is { Count: > 0 } problems)
        {
            lock (SchemaRejections)
            {
                SchemaRejections.AddRange(problems);
            }

            return Reply(400, QuickBooksFaults.Invalid(string.Join("; ", problems)));
        }

        var requestId = request.Query["requestid"].ToString();
        var deleting = request.Query["operation"] == "delete";
        lock (_gate)
        {
            // A repeated requestid gets the first answer, and changes nothing.
            if (requestId.Length > 0 && _replies.TryGetValue(name + ":" + requestId, out var earlier))
            {
                return Results.Text(earlier.Body, "application/json", Encoding.UTF8, earlier.Status);
            }

            var (status, reply) = deleting ? Delete(name, body) : Write(name, body);
            if (requestId.Length > 0 && status == 200)
            {
                _replies[name + ":" + requestId] = (status, reply.ToJsonString());
            }

            return Reply(status, reply);
        }
    }

    private IResult Query(string text)
    {
        if (QuickBooksQuery.Parse(text) is not { } query || !Entities.TryGetValue(query.Entity, out var name))
        {
            return Reply(400, QuickBooksFaults.Fault("ValidationFault", "4000", "Error parsing query", $"QueryParserError: the sandbox does not understand: {text}"));
        }

        List<JsonObject> found;
        lock (_gate)
        {
            found = _objects[name].Values
                .Where(o => query.Id is null || o["Id"]!.ToString() == query.Id)
                .Where(o => query.Since is not { } since || (query.Inclusive ? Updated(o) >= since : Updated(o) > since))
                .OrderBy(Updated).ThenBy(o => long.Parse(o["Id"]!.ToString(), CultureInfo.InvariantCulture))
                .Skip(query.Start - 1).Take(query.Max)
                .Select(o => (JsonObject)o.DeepClone()).ToList();
        }

        var result = new JsonObject { ["startPosition"] = query.Start, ["maxResults"] = found.Count };
        if (found.Count > 0)
        {
            result[name] = new JsonArray([.. found]);
        }

        return Reply(200, new JsonObject { ["QueryResponse"] = result, ["time"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) });
    }

    /// <summary>Change data capture: objects (and deletions) changed at or after <c>changedSince</c>, oldest first, at most <see cref="CdcLimit"/>.</summary>
    private IResult ChangeFeed(string entities, string changedSince)
    {
        if (!DateTimeOffset.TryParse(changedSince, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
        {
            return Reply(400, QuickBooksFaults.Validation("2010", "Request has invalid or unsupported property", "changedSince is required: an ISO 8601 date-time", "changedSince"));
        }

        if (since < DateTimeOffset.UtcNow.AddDays(-30))
        {
            return Reply(400, QuickBooksFaults.Validation("2010", "Request has invalid or unsupported property", "changedSince can be at most 30 days ago", "changedSince"));
        }

        var names = entities.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(e => Entities.GetValueOrDefault(e)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        List<(string Entity, JsonObject Obj)> changed;
        lock (_gate)
        {
            var order = entities.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(e => Entities.GetValueOrDefault(e)).OfType<string>().ToList();
            var candidates = names.SelectMany(n => _objects[n].Values.Select(o => (n, o)))
                .Concat(_deleted.Where(d => names.Contains(d.Entity)))
                .Where(c => Updated(c.Item2) >= since);
            changed = (CdcCutsPerEntity
                    ? candidates.OrderBy(c => order.IndexOf(c.Item1)).ThenBy(c => Updated(c.Item2))
                    : candidates.OrderBy(c => Updated(c.Item2)))
                .Take(CdcLimit)
                .Select(c => (c.Item1, (JsonObject)c.Item2.DeepClone()))
                .ToList();
        }

        var responses = new JsonArray();
        foreach (var group in changed.GroupBy(c => c.Entity))
        {
            responses.Add(new JsonObject
            {
                [group.Key] = new JsonArray([.. group.Select(g => (JsonNode)g.Obj)]),
                ["startPosition"] = 1,
                ["maxResults"] = group.Count(),
            });
        }

        return Reply(200, new JsonObject
        {
            ["CDCResponse"] = new JsonArray(new JsonObject { ["QueryResponse"] = responses }),
            ["time"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        });
    }

    private static DateTimeOffset Updated(JsonObject o) =>
        DateTimeOffset.Parse(o["MetaData"]!["LastUpdatedTime"]!.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
