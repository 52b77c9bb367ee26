using System.Text.Json.Nodes;
using Concord.Engine.Intake;
using Concord.Engine.Storage;

namespace Concord.Connectors.HubSpot;

/// <summary>
/// Builds the hub's changes from HubSpot objects and events. HubSpot sends whatever its account
/// holds, so a change is trimmed to what the hub accepts from this system: a field the sync rule
/// does not cover (or a value the schema refuses) is left out, and an object type the system does
/// not contribute is skipped, rather than refusing the whole webhook or poll page.
/// </summary>
public sealed class HubSpotChanges(ChangeIntake intake, string system)
{
    /// <summary>The change, or null when the hub takes nothing of it.</summary>
    public InboundChange? Build(string type, string externalId, string eventId, DateTimeOffset? occurredAt, JsonObject fields, bool deleted, string via)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (!deleted && fields.Count == 0)
            {
                return null;
            }

            try
            {
                return intake.FromFields(system, type, externalId, eventId, occurredAt, fields, deleted, via);
            }
            catch (IntakeException ex)
            {
                var refused = ex.Errors.Select(e => FieldOf(e.Path)).ToList();
                if (refused.Any(f => f is null))
                {
                    return null;
                }

                fields = (JsonObject)fields.DeepClone();
                foreach (var field in refused)
                {
                    fields.Remove(field!);
                }
            }
        }

        return null;
    }

    private static string? FieldOf(string path)
    {
        const string prefix = "$.fields.";
        return path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : null;
    }
}
