using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Concord.Sandboxes.HubSpot;

/// <summary>The API's handlers: what HubSpot does with each call.</summary>
public sealed partial class HubSpotSandbox
{
    private IResult List(string obj, IQueryCollection query)
    {
        var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : 10;
        if (limit is < 1 or > 100)
        {
            return Error(400, $"limit must be between 1 and 100, was {limit}", "VALIDATION_ERROR");
        }

        var after = int.TryParse(query["after"], NumberStyles.None, CultureInfo.InvariantCulture, out var a) ? a : 0;
        var only = Requested(query);
        var all = Store.All(obj);
        var body = new JsonObject { ["results"] = new JsonArray(all.Skip(after).Take(limit).Select(r => (JsonNode)r.ToJson(only)).ToArray()) };
        if (after + limit < all.Count)
        {
            var next = (after + limit).ToString(CultureInfo.InvariantCulture);
            body["paging"] = new JsonObject { ["next"] = new JsonObject { ["after"] = next, ["link"] = $"{Url}/crm/v3/objects/{obj}?after={next}" } };
        }

        return Results.Json(body);
    }

    private IResult Read(string obj, string id, IQueryCollection query) =>
        Store.Get(obj, id) is { } r ? Results.Json(r.ToJson(Requested(query))) : NotFound(obj, id);

    private IResult Create(string obj, JsonObject body)
    {
        var properties = Properties(body["properties"]);
        if (Duplicate(obj, properties, exceptId: null) is { } conflict)
        {
            return conflict;
        }

        var record = Store.Create(obj, properties, Clock());
        return Results.Json(record.ToJson(), statusCode: 201);
    }

    private IResult Patch(string obj, string id, JsonObject body)
    {
        if (Store.Get(obj, id) is not { } record)
        {
            return NotFound(obj, id);
        }

        var properties = Properties(body["properties"]);
        if (Duplicate(obj, properties, exceptId: id) is { } conflict)
        {
            return conflict;
        }

        Store.Update(record, properties, Clock());
        return Results.Json(record.ToJson());
    }

    // HubSpot answers 204 whether or not there was anything to archive.
    private IResult Archive(string obj, string id)
    {
        Store.Archive(obj, id, Clock());
        return Results.NoContent();
    }

    private IResult Upsert(string obj, JsonObject body)
    {
        var inputs = (body["inputs"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (inputs.Count is 0 or > 100)
        {
            return Error(400, "inputs must hold between 1 and 100 objects", "VALIDATION_ERROR");
        }

        var results = new JsonArray();
        var now = Clock();
        foreach (var input in inputs)
        {
            var id = input["id"]?.ToString();
            var by = input["idProperty"]?.ToString() ?? "hs_object_id";
            if (string.IsNullOrEmpty(id))
            {
                return Error(400, "every input needs an id", "VALIDATION_ERROR");
            }

            if (!HubSpotObjectStore.IsUnique(obj, by))
            {
                return Error(400, $"Property {by} is not a unique property and cannot be used as idProperty", "VALIDATION_ERROR",
                    new JsonObject { ["idProperty"] = new JsonArray(by) });
            }

            var properties = Properties(input["properties"]);
            properties[by] = id;
            var existing = Store.FindUnique(obj, by, id);
            if (Duplicate(obj, properties, existing?.Id) is { } conflict)
            {
                return conflict;
            }

            HubSpotRecord record;
            if (existing is null)
            {
                record = Store.Create(obj, properties, now);
            }
            else
            {
                Store.Update(existing, properties, now);
                record = existing;
            }

            var json = record.ToJson();
            json["new"] = existing is null;
            results.Add(json);
        }

        return Results.Json(new JsonObject
        {
            ["status"] = "COMPLETE",
            ["results"] = results,
            ["startedAt"] = HubSpotRecord.Iso(now),
            ["completedAt"] = HubSpotRecord.Iso(Clock()),
        });
    }

    private IResult Search(string obj, JsonObject body)
    {
        var (page, total, next, error) = HubSpotSearch.Run(Store.All(obj), body, SearchWindow);
        if (error is not null)
        {
            return Error(400, error, "VALIDATION_ERROR");
        }

        var only = (body["properties"] as JsonArray)?.Select(p => p?.ToString() ?? "").ToHashSet(StringComparer.Ordinal);
        var result = new JsonObject
        {
            ["total"] = total,
            ["results"] = new JsonArray(page.Select(r => (JsonNode)r.ToJson(only is { Count: > 0 } ? only : null)).ToArray()),
        };
        if (next is { } n)
        {
            result["paging"] = new JsonObject { ["next"] = new JsonObject { ["after"] = n.ToString(CultureInfo.InvariantCulture) } };
        }

        return Results.Json(result);
    }

    private IResult Associate(string from, string fromId, string to, string toId)
    {
        if (Store.Get(from, fromId) is null)
        {
            return NotFound(from, fromId);
        }

        if (Store.Get(to, toId) is null)
        {
            return NotFound(to, toId);
        }

        Store.Associate(from, fromId, to, toId);
        var now = HubSpotRecord.Iso(Clock());
        return Results.Json(new JsonObject
        {
            ["status"] = "COMPLETE",
            ["results"] = new JsonArray(new JsonObject
            {
                ["from"] = new JsonObject { ["id"] = fromId },
                ["to"] = new JsonObject { ["id"] = toId },
                ["associationSpec"] = new JsonObject { ["associationCategory"] = "HUBSPOT_DEFINED", ["associationTypeId"] = TypeId(from, to) },
            }),
            ["startedAt"] = now,
            ["completedAt"] = now,
        });
    }

    /// <summary>
    /// The v4 batch read: each input's associated records of the other type. Inputs with none are not in
    /// <c>results</c> but in <c>errors</c>, and the answer is then 207; more than
    /// <see cref="AssociationBatchLimit"/> inputs are refused, as HubSpot refuses them.
    /// </summary>
    private IResult BatchReadAssociations(string from, string to, JsonObject body)
    {
        var ids = (body["inputs"] as JsonArray ?? []).Select(i => i?["id"]?.ToString()).OfType<string>().ToList();
        if (body["inputs"] is not JsonArray || ids.Count == 0)
        {
            return Error(400, "Invalid input JSON: inputs must list at least one { id }", "VALIDATION_ERROR");
        }

        if (ids.Count > AssociationBatchLimit)
        {
            return Error(400, $"Batch input size must be at most {AssociationBatchLimit}, got {ids.Count}", "VALIDATION_ERROR");
        }

        var now = HubSpotRecord.Iso(Clock());
        var results = new JsonArray();
        var errors = new JsonArray();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            var associated = Store.Get(from, id) is null ? [] : Store.Associated(from, id, to);
            if (associated.Count == 0)
            {
                errors.Add(new JsonObject
                {
                    ["status"] = "error",
                    ["category"] = "OBJECT_NOT_FOUND",
                    ["subCategory"] = "crm.associations.NO_ASSOCIATIONS_FOUND",
                    ["context"] = new JsonObject { ["fromObjectId"] = new JsonArray(id) },
                    ["links"] = new JsonObject(),
                    ["message"] = $"No {to} is associated with {from} {id}.",
                });
                continue;
            }

            results.Add(new JsonObject
            {
                ["from"] = new JsonObject { ["id"] = id },
                ["to"] = new JsonArray(associated.Select(toId => (JsonNode)new JsonObject
                {
                    ["toObjectId"] = long.Parse(toId, CultureInfo.InvariantCulture),
                    ["associationTypes"] = new JsonArray(new JsonObject { ["category"] = "HUBSPOT_DEFINED", ["typeId"] = TypeId(from, to), ["label"] = null }),
                }).ToArray()),
            });
        }

        var answer = new JsonObject { ["status"] = "COMPLETE", ["results"] = results, ["startedAt"] = now, ["completedAt"] = now };
        if (errors.Count > 0)
        {
            answer["numErrors"] = errors.Count;
            answer["errors"] = errors;
        }

        return Results.Json(answer, statusCode: errors.Count > 0 ? StatusCodes.Status207MultiStatus : StatusCodes.Status200OK);
    }

    /// <summary>HubSpot's 409 when another live contact already has the email.</summary>
    private IResult? Duplicate(string obj, Dictionary<string, string?> properties, string? exceptId)
    {
        if (obj == "contacts" && properties.GetValueOrDefault("email") is { Length: > 0 } email
            && Store.FindUnique(obj, "email", email) is { } other && other.Id != exceptId)
        {
            return Error(409, $"Contact already exists. Existing ID: {other.Id}", "CONFLICT");
        }

        return null;
    }

    private static IResult NotFound(string obj, string id) =>
        Error(404, $"Object not found.  objectId are usually numeric. ({obj} {id})", "OBJECT_NOT_FOUND");

    private static HashSet<string>? Requested(IQueryCollection query) =>
        query["properties"].Count == 0 ? null : query["properties"].SelectMany(p => (p ?? "").Split(',')).ToHashSet(StringComparer.Ordinal);
}
