using System.Text.Json.Nodes;
using Concord.Core.Records;
using Concord.Engine.Storage;

namespace Concord.Engine.Flows.Records;

/// <summary>
/// What a record step outputs: <c>{ id, type, version, &lt;fields&gt;…, found, created, external_id? }</c>, the
/// fields at the top level so that later steps read <c>steps.contact.email</c>.
/// </summary>
internal static class RecordOutput
{
    private static readonly string[] Own = ["id", "type", "version", "found", "created", "external_id"];

    public static JsonObject Of(IPipelineTransaction tx, GoldenRecord record, bool found, bool created, string? inSystem)
    {
        var output = new JsonObject { ["id"] = record.Id, ["type"] = record.Type, ["version"] = record.Version };
        foreach (var (field, value) in RunData.RecordObject(record))
        {
            if (!Own.Contains(field))
            {
                output[field] = value?.DeepClone();
            }
        }

        output["found"] = found;
        output["created"] = created;
        if (inSystem is not null && DeliveryAwait.ExternalId(tx, inSystem, record.Type, record.Id) is { } externalId)
        {
            output["external_id"] = externalId;
        }

        return output;
    }

    public static JsonObject NotFound(string type) => new() { ["id"] = null, ["type"] = type, ["found"] = false, ["created"] = false };
}
