using System.Globalization;

namespace Concord.Server.Api;

/// <summary>
/// Query-string values read by hand, so that a bad one gets a problem body naming the parameter
/// (the framework's binder answers an empty 400).
/// </summary>
internal static class QueryArgs
{
    public static bool TryLimit(string? text, int fallback, int max, out int limit, out Microsoft.AspNetCore.Http.IResult? problem)
    {
        problem = null;
        limit = fallback;
        if (text is null)
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit >= 1 && limit <= max)
        {
            return true;
        }

        problem = Problems.BadRequest("limit", $"must be a whole number from 1 to {max}, not '{text}'");
        return false;
    }

    public static bool TryTime(string name, string? text, out DateTimeOffset? time, out Microsoft.AspNetCore.Http.IResult? problem)
    {
        problem = null;
        time = null;
        if (text is null)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            time = parsed;
            return true;
        }

        problem = Problems.BadRequest(name, $"must be an ISO 8601 time such as 2026-11-22T09:00:00Z, not '{text}'");
        return false;
    }
}
