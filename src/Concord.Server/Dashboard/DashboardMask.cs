using System.Security.Claims;
using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Privacy;
using Concord.Server.Api;

namespace Concord.Server.Dashboard;

/// <summary>
/// What a user may read of personal data: operators and admins see values in clear, viewers see the fields the
/// configuration marks <c>pii</c> masked. Page models mask while building their view, never in a template,
/// so a viewer's HTML never holds the value.
/// </summary>
public sealed class DashboardMask(HubConfig config, bool clear)
{
    public static DashboardMask For(ClaimsPrincipal user, HubConfig config) => new(config, DashboardPrincipal.SeesPersonalData(user));

    /// <summary>Whether this user sees personal data in clear.</summary>
    public bool Clear => clear;

    /// <summary>One field's value of a record of <paramref name="type"/>.</summary>
    public JsonNode? Field(string type, string field, JsonNode? value)
    {
        if (clear || !config.Entities.TryGetValue(type, out var entity))
        {
            return value?.DeepClone();
        }

        entity.Schema.TryGetField(field, out var schema);
        return PiiMask.Mask(schema, value);
    }

    /// <summary>A field's value as text, masked for a viewer.</summary>
    public string Text(string type, string field, string? value) =>
        value is null ? "" : Field(type, field, JsonValue.Create(value))?.GetValue<string>() ?? "";

    /// <summary>A payload sent or received (a delivery, a log line), masked for a viewer.</summary>
    public JsonNode? Payload(string? type, string? payload) =>
        clear ? (payload is null ? null : TryParse(payload)) : DeliveryView.MaskPayload(config, type, payload);

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
