using System.Text.Json.Nodes;

namespace Concord.Sandboxes.Stripe;

public sealed partial class StripeSandbox
{
    private static readonly string[] CustomerText = ["email", "name", "phone", "description", "invoice_prefix"];

    private JsonObject CreateCustomer(JsonObject form, string? key, List<JsonObject> events)
    {
        var customer = new JsonObject
        {
            ["address"] = null, ["balance"] = 0, ["currency"] = null, ["delinquent"] = false, ["description"] = null, ["email"] = null,
            ["invoice_prefix"] = RandomId(8).ToUpperInvariant(), ["metadata"] = new JsonObject(), ["name"] = null, ["phone"] = null,
            ["preferred_locales"] = new JsonArray(), ["shipping"] = null, ["tax_exempt"] = "none",
        };
        var stored = Store("customer", customer).Object;
        ApplyCustomer(stored, form);
        Emit("customer.created", stored, key, events);
        return stored;
    }

    private (JsonNode?, StripeError?) UpdateCustomer(string id, JsonObject form, string? key, List<JsonObject> events)
    {
        if (!_byId.TryGetValue(id, out var o) || (string?)o.Object["object"] != "customer" || o.Object["deleted"] is not null)
        {
            return (null, Missing("customer", id, "id"));
        }

        var before = (JsonObject)o.Object.DeepClone();
        ApplyCustomer(o.Object, form);
        Emit("customer.updated", o.Object, key, events, Previous(before, o.Object));
        return Ok(o.Object);
    }

    private (JsonNode?, StripeError?) DeleteCustomer(string id, List<JsonObject> events)
    {
        if (!_byId.TryGetValue(id, out var o) || (string?)o.Object["object"] != "customer" || o.Object["deleted"] is not null)
        {
            return (null, Missing("customer", id, "id"));
        }

        Emit("customer.deleted", o.Object, null, events);
        o.Object["deleted"] = true;
        return Ok(Tombstone(o.Object));
    }

    /// <summary>Stripe's update rules: an empty string unsets a field, a whole object or a single metadata key.</summary>
    private static void ApplyCustomer(JsonObject customer, JsonObject form)
    {
        foreach (var name in CustomerText.Where(form.ContainsKey))
        {
            customer[name] = Str(form, name) is { Length: > 0 } text ? text : null;
        }

        if (form.ContainsKey("address"))
        {
            if (form["address"] is JsonObject address)
            {
                var current = customer["address"] as JsonObject ?? new JsonObject
                {
                    ["city"] = null, ["country"] = null, ["line1"] = null, ["line2"] = null, ["postal_code"] = null, ["state"] = null,
                };
                foreach (var (k, v) in address)
                {
                    current[k] = v is JsonValue t && t.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
                }

                customer["address"] = current.Parent is null ? current : current.DeepClone();
            }
            else
            {
                customer["address"] = null;
            }
        }

        Metadata(customer, form);
    }

    private static void Metadata(JsonObject target, JsonObject form)
    {
        if (!form.ContainsKey("metadata"))
        {
            return;
        }

        var metadata = target["metadata"] as JsonObject ?? [];
        if (form["metadata"] is JsonObject given)
        {
            foreach (var (k, v) in given)
            {
                if (v is JsonValue t && t.TryGetValue<string>(out var s) && s.Length > 0)
                {
                    metadata[k] = s;
                }
                else
                {
                    metadata.Remove(k);
                }
            }
        }
        else
        {
            metadata = [];
        }

        target["metadata"] = metadata.Parent is null ? metadata : metadata.DeepClone();
    }

    /// <summary>The top-level values an update changed, as they were before (Stripe's <c>previous_attributes</c>).</summary>
    private static JsonObject Previous(JsonObject before, JsonObject after)
    {
        var previous = new JsonObject();
        foreach (var (k, v) in before)
        {
            if (!JsonNode.DeepEquals(v, after[k]))
            {
                previous[k] = v?.DeepClone();
            }
        }

        return previous;
    }

    private JsonObject? LiveCustomer(string? id) =>
        id is not null && _byId.TryGetValue(id, out var c) && (string?)c.Object["object"] == "customer" && c.Object["deleted"] is null ? c.Object : null;
}
