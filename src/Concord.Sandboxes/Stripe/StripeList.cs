using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Concord.Sandboxes.Stripe;

/// <summary>
/// Stripe's list pagination: newest first; <c>limit</c> 1–100 (default 10);
/// <c>starting_after=X</c> gives the objects just older than X, <c>ending_before=X</c> the ones
/// just newer than X (still newest first); <c>has_more</c> says whether more lie in that direction.
/// </summary>
internal static class StripeList
{
    /// <summary>The page, or an error as (status, code, param, message).</summary>
    public static (JsonObject? Page, StripeError? Error) Page(IReadOnlyList<StripeStored> oldestFirst, IQueryCollection query, string url,
        Func<string, long?> sequenceOf, string objectName)
    {
        var limit = 10;
        if (query.TryGetValue("limit", out var l) && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100))
        {
            return (null, new StripeError(400, "invalid_request_error", "parameter_invalid_integer", "limit", "This value must be greater than or equal to 1 and less than or equal to 100."));
        }

        var after = query["starting_after"].FirstOrDefault();
        var before = query["ending_before"].FirstOrDefault();
        if (after is not null && before is not null)
        {
            return (null, new StripeError(400, "invalid_request_error", null, "ending_before", "You may only specify one of these parameters: ending_before, starting_after."));
        }

        var newestFirst = oldestFirst.Reverse().ToList();
        List<StripeStored> slice;
        bool hasMore;
        if ((after ?? before) is { } cursor)
        {
            if (sequenceOf(cursor) is not { } at)
            {
                return (null, new StripeError(400, "invalid_request_error", "resource_missing", after is null ? "ending_before" : "starting_after", $"No such {objectName}: '{cursor}'"));
            }

            if (after is not null)
            {
                var older = newestFirst.Where(o => o.Sequence < at).ToList();
                slice = older.Take(limit).ToList();
                hasMore = older.Count > limit;
            }
            else
            {
                var newer = newestFirst.Where(o => o.Sequence > at).ToList();
                slice = newer.Skip(Math.Max(0, newer.Count - limit)).ToList();
                hasMore = newer.Count > limit;
            }
        }
        else
        {
            slice = newestFirst.Take(limit).ToList();
            hasMore = newestFirst.Count > limit;
        }

        var data = new JsonArray();
        foreach (var o in slice)
        {
            data.Add(o.Object.DeepClone());
        }

        return (new JsonObject { ["object"] = "list", ["data"] = data, ["has_more"] = hasMore, ["url"] = url }, null);
    }

    /// <summary>Whether a <c>created</c> filter (<c>created=T</c> or <c>created[gte]=T</c> and the like) admits the time.</summary>
    public static bool CreatedMatches(IQueryCollection query, long created)
    {
        foreach (var (key, values) in query)
        {
            if (!key.StartsWith("created", StringComparison.Ordinal) || !long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                continue;
            }

            var ok = key switch
            {
                "created" => created == t,
                "created[gt]" => created > t,
                "created[gte]" => created >= t,
                "created[lt]" => created < t,
                "created[lte]" => created <= t,
                _ => true,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>An object the sandbox keeps, with its place in creation order.</summary>
internal sealed record StripeStored(long Sequence, JsonObject Object);

/// <summary>A Stripe error answer.</summary>
internal sealed record StripeError(int Status, string Type, string? Code, string? Param, string Message)
{
    public JsonObject Body()
    {
        var error = new JsonObject { ["type"] = Type, ["message"] = Message };
        if (Code is not null)
        {
            error["code"] = Code;
        }

        if (Param is not null)
        {
            error["param"] = Param;
        }

        return new JsonObject { ["error"] = error };
    }
}
