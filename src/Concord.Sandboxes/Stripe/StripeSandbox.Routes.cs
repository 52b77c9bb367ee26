using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Concord.Sandboxes.Stripe;

public sealed partial class StripeSandbox
{
    private static readonly Dictionary<string, string> Prefixes = new(StringComparer.Ordinal)
    {
        ["customer"] = "cus_", ["invoice"] = "in_", ["invoiceitem"] = "ii_", ["payment_intent"] = "pi_", ["subscription"] = "sub_", ["event"] = "evt_",
    };

    /// <summary>Answers one call; runs under the lock. Events it appends are added to <paramref name="events"/> for sending.</summary>
    private (JsonNode? Result, StripeError? Error) Route(string method, string[] s, JsonObject form, IQueryCollection query, string? key, List<JsonObject> events)
    {
        var template = Template(s);
        if (method == "POST" && _spec is not null && template is not null && _spec.Check(method, template, form) is { } problem)
        {
            return (null, new StripeError(400, "invalid_request_error", problem.Code, problem.Param, problem.Message));
        }

        return (method, s) switch
        {
            ("GET", ["customers"]) => List("customer", query, o => o["deleted"] is null && (query["email"].FirstOrDefault() is not { } e || (string?)o["email"] == e)),
            ("GET", ["customers", "search"]) => SearchCustomers(query),
            ("POST", ["customers"]) => Ok(CreateCustomer(form, key, events)),
            ("GET", ["customers", var id]) => Find("customer", id, allowDeleted: true),
            ("POST", ["customers", var id]) => UpdateCustomer(id, form, key, events),
            ("DELETE", ["customers", var id]) => DeleteCustomer(id, events),
            ("GET", ["invoices"]) => List("invoice", query, o => query["customer"].FirstOrDefault() is not { } c || (string?)o["customer"] == c),
            ("POST", ["invoices"]) => CreateInvoice(form, key, events),
            ("GET", ["invoices", var id]) => Find("invoice", id),
            ("POST", ["invoices", var id]) => UpdateInvoice(id, form, key, events),
            ("POST", ["invoices", var id, "finalize"]) => FinalizeInvoice(id, key, events),
            ("POST", ["invoices", var id, "pay"]) => PayInvoice(id, key, events),
            ("GET", ["invoiceitems"]) => List("invoiceitem", query, _ => true),
            ("POST", ["invoiceitems"]) => CreateInvoiceItem(form, key, events),
            ("GET", ["invoiceitems", var id]) => Find("invoiceitem", id),
            ("GET", ["payment_intents"]) => List("payment_intent", query, o => query["customer"].FirstOrDefault() is not { } c || (string?)o["customer"] == c),
            ("GET", ["payment_intents", var id]) => Find("payment_intent", id),
            ("GET", ["subscriptions"]) => List("subscription", query, o => query["customer"].FirstOrDefault() is not { } c || (string?)o["customer"] == c),
            ("GET", ["subscriptions", var id]) => Find("subscription", id),
            ("DELETE", ["subscriptions", var id]) => CancelSubscription(id, events),
            ("GET", ["events"]) => List("event", query, o => EventTypeMatches(query, (string)o["type"]!) && StripeList.CreatedMatches(query, (long)o["created"]!)),
            ("GET", ["events", var id]) => Find("event", id),
            ("GET", ["balance"]) => Ok(new JsonObject { ["object"] = "balance", ["livemode"] = false, ["available"] = new JsonArray(), ["pending"] = new JsonArray() }),
            _ => (null, new StripeError(404, "invalid_request_error", null, null,
                $"Unrecognized request URL ({method}: /v1/{string.Join('/', s)}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.")),
        };
    }

    /// <summary>The specification's path template for a call, for the parameter check.</summary>
    private static string? Template(string[] s) => s switch
    {
        ["customers"] => "/v1/customers",
        ["customers", _] => "/v1/customers/{customer}",
        ["invoices"] => "/v1/invoices",
        ["invoices", _] => "/v1/invoices/{invoice}",
        ["invoices", _, var action] => $"/v1/invoices/{{invoice}}/{action}",
        ["invoiceitems"] => "/v1/invoiceitems",
        _ => null,
    };

    private static (JsonNode?, StripeError?) Ok(JsonNode node) => (node.DeepClone(), null);

    private (JsonNode?, StripeError?) List(string objectName, IQueryCollection query, Func<JsonObject, bool> filter)
    {
        var items = _all.Where(o => (string?)o.Object["object"] == objectName && filter(o.Object)).ToList();
        var (page, error) = StripeList.Page(items, query, "/v1/" + (objectName == "event" ? "events" : objectName + "s"),
            id => _byId.TryGetValue(id, out var o) ? o.Sequence : null, objectName);
        return (page, error);
    }

    private (JsonNode?, StripeError?) Find(string objectName, string id, bool allowDeleted = false)
    {
        if (_byId.TryGetValue(id, out var o) && (string?)o.Object["object"] == objectName && (allowDeleted || o.Object["deleted"] is null))
        {
            return Ok(o.Object["deleted"] is not null ? Tombstone(o.Object) : o.Object);
        }

        return (null, Missing(objectName, id, "id"));
    }

    /// <summary>
    /// Cancels a subscription at once, as <c>DELETE /v1/subscriptions/{id}</c> does, and emits
    /// <c>customer.subscription.deleted</c>. A subscription already cancelled is refused, as Stripe refuses any change
    /// to one, so a second cancel is never taken for a first.
    /// </summary>
    private (JsonNode?, StripeError?) CancelSubscription(string id, List<JsonObject> events)
    {
        if (!_byId.TryGetValue(id, out var o) || (string?)o.Object["object"] != "subscription")
        {
            return (null, Missing("subscription", id, "id"));
        }

        var subscription = o.Object;
        if ((string?)subscription["status"] == "canceled")
        {
            return (null, new StripeError(400, "invalid_request_error", null, null, $"A canceled subscription can not be canceled again: '{id}'."));
        }

        subscription["status"] = "canceled";
        subscription["canceled_at"] = Now;
        Emit("customer.subscription.deleted", subscription, null, events);
        return Ok(subscription);
    }

    private static StripeError Missing(string objectName, string id, string param) =>
        new(404, "invalid_request_error", "resource_missing", param, $"No such {objectName}: '{id}'");

    private (JsonNode?, StripeError?) SearchCustomers(IQueryCollection query)
    {
        var q = query["query"].FirstOrDefault() ?? "";
        var colon = q.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return (null, new StripeError(400, "invalid_request_error", "parameter_invalid_string", "query", "Invalid search query: expected field:'value'."));
        }

        var (field, value) = (q[..colon].Trim(), q[(colon + 1)..].Trim().Trim('\'', '"'));
        var data = new JsonArray();
        foreach (var o in _all.Where(o => (string?)o.Object["object"] == "customer" && o.Object["deleted"] is null && (string?)o.Object[field] == value).Reverse())
        {
            data.Add(o.Object.DeepClone());
        }

        return Ok(new JsonObject { ["object"] = "search_result", ["data"] = data, ["has_more"] = false, ["next_page"] = null, ["url"] = "/v1/customers/search" });
    }

    /// <summary><c>types[]</c> (exact names) and <c>type</c> (a name, or a group with <c>*</c>).</summary>
    private static bool EventTypeMatches(IQueryCollection query, string type)
    {
        var wanted = query.Where(p => p.Key == "type" || p.Key.StartsWith("types[", StringComparison.Ordinal)).SelectMany(p => p.Value).OfType<string>().ToList();
        return wanted.Count == 0 || wanted.Any(w => w == type || (w.EndsWith('*') && type.StartsWith(w[..^1], StringComparison.Ordinal)));
    }

    private static JsonObject Tombstone(JsonObject o) => new() { ["id"] = (string?)o["id"], ["object"] = (string?)o["object"], ["deleted"] = true };

    private StripeStored Store(string objectName, JsonObject obj)
    {
        var id = Prefixes[objectName] + RandomId(objectName == "event" ? 24 : 14);
        obj["id"] = id;
        obj["object"] = objectName;
        obj["created"] = Now;
        obj["livemode"] = false;
        var stored = new StripeStored(++_sequence, obj);
        _all.Add(stored);
        _byId[id] = stored;

        // Fields in Stripe's order: id and object first.
        var ordered = new JsonObject { ["id"] = id, ["object"] = objectName };
        foreach (var (k, v) in obj.ToList())
        {
            if (k is not "id" and not "object")
            {
                obj.Remove(k);
                ordered[k] = v;
            }
        }

        obj.Remove("id");
        obj.Remove("object");
        foreach (var (k, v) in ordered.ToList())
        {
            ordered.Remove(k);
            obj[k] = v;
        }

        return stored;
    }

    /// <summary>Appends an event about an object (a snapshot of it) and queues its webhook.</summary>
    private JsonObject Emit(string type, JsonObject obj, string? key, List<JsonObject> events, JsonObject? previous = null)
    {
        var data = new JsonObject { ["object"] = obj.DeepClone() };
        _apiChange?.Invoke(data["object"]!.AsObject());
        if (previous is not null)
        {
            data["previous_attributes"] = previous;
        }

        var e = Store("event", new JsonObject
        {
            ["api_version"] = Connectors.Stripe.StripeClient.ApiVersion,
            ["data"] = data,
            ["pending_webhooks"] = HubUrl is null ? 0 : 1,
            ["request"] = new JsonObject { ["id"] = key is null ? null : "req_" + RandomId(14), ["idempotency_key"] = key },
            ["type"] = type,
        }).Object;
        events.Add((JsonObject)e.DeepClone());
        return e;
    }

    private static string? Str(JsonObject form, string name) => form[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static long? Long(JsonObject form, string name) =>
        Str(form, name) is { } s && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
}
