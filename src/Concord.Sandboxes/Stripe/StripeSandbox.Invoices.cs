using System.Globalization;
using System.Text.Json.Nodes;

namespace Concord.Sandboxes.Stripe;

public sealed partial class StripeSandbox
{
    private (JsonNode?, StripeError?) CreateInvoice(JsonObject form, string? key, List<JsonObject> events)
    {
        if (LiveCustomer(Str(form, "customer")) is not { } customer)
        {
            return (null, Str(form, "customer") is { } id
                ? Missing("customer", id, "customer")
                : new StripeError(400, "invalid_request_error", "parameter_missing", "customer", "Missing required param: customer."));
        }

        var collection = Str(form, "collection_method") ?? "charge_automatically";
        if (Long(form, "due_date") is not null && collection != "send_invoice")
        {
            return (null, new StripeError(400, "invalid_request_error", null, "due_date", "Invoices with `collection_method=charge_automatically` cannot have a `due_date`."));
        }

        var invoice = Store("invoice", new JsonObject
        {
            ["amount_due"] = 0L, ["amount_paid"] = 0L, ["amount_remaining"] = 0L, ["collection_method"] = collection,
            ["currency"] = Str(form, "currency") ?? "usd", ["customer"] = (string?)customer["id"], ["customer_email"] = (string?)customer["email"],
            ["customer_name"] = (string?)customer["name"], ["description"] = Str(form, "description") is { Length: > 0 } d ? d : null,
            ["due_date"] = Long(form, "due_date"), ["hosted_invoice_url"] = null, ["lines"] = Lines([]), ["metadata"] = new JsonObject(),
            ["number"] = null, ["status"] = "draft",
            ["status_transitions"] = new JsonObject { ["finalized_at"] = null, ["marked_uncollectible_at"] = null, ["paid_at"] = null, ["voided_at"] = null },
            ["subtotal"] = 0L, ["total"] = 0L,
        }).Object;
        Metadata(invoice, form);

        // Since API version 2022-08-01 a new invoice takes in no pending items unless asked to.
        if (Str(form, "pending_invoice_items_behavior") == "include")
        {
            foreach (var item in Objects("invoiceitem").Where(i => (string?)i["customer"] == (string?)customer["id"] && i["invoice"] is null))
            {
                item["invoice"] = (string?)invoice["id"];
            }

            Recalculate(invoice);
        }

        Emit("invoice.created", invoice, key, events);
        return Ok(invoice);
    }

    private (JsonNode?, StripeError?) UpdateInvoice(string id, JsonObject form, string? key, List<JsonObject> events)
    {
        if (Invoice(id) is not { } invoice)
        {
            return (null, Missing("invoice", id, "invoice"));
        }

        var draft = (string?)invoice["status"] == "draft";
        if (!draft && (form.ContainsKey("due_date") || form.ContainsKey("collection_method")))
        {
            return (null, new StripeError(400, "invalid_request_error", null, form.ContainsKey("due_date") ? "due_date" : "collection_method",
                $"Finalized invoices can't be updated in this way: only drafts can change due_date or collection_method (invoice {id} is {(string?)invoice["status"]})."));
        }

        var before = (JsonObject)invoice.DeepClone();
        foreach (var name in new[] { "description", "footer", "collection_method" }.Where(form.ContainsKey))
        {
            invoice[name] = Str(form, name) is { Length: > 0 } text ? text : null;
        }

        if (form.ContainsKey("due_date"))
        {
            invoice["due_date"] = Long(form, "due_date");
        }

        if (invoice["due_date"] is not null && (string?)invoice["collection_method"] != "send_invoice")
        {
            return (null, new StripeError(400, "invalid_request_error", null, "due_date", "Invoices with `collection_method=charge_automatically` cannot have a `due_date`."));
        }

        Metadata(invoice, form);
        Emit("invoice.updated", invoice, key, events, Previous(before, invoice));
        return Ok(invoice);
    }

    private (JsonNode?, StripeError?) CreateInvoiceItem(JsonObject form, string? key, List<JsonObject> events)
    {
        if (LiveCustomer(Str(form, "customer")) is not { } customer)
        {
            return (null, Str(form, "customer") is { } cid
                ? Missing("customer", cid, "customer")
                : new StripeError(400, "invalid_request_error", "parameter_missing", "customer", "Missing required param: customer."));
        }

        if (Long(form, "amount") is not { } amount || Str(form, "currency") is not { } currency)
        {
            return (null, new StripeError(400, "invalid_request_error", "parameter_missing", Long(form, "amount") is null ? "amount" : "currency",
                "An invoice item needs an amount and a currency (or a price)."));
        }

        JsonObject? invoice = null;
        if (Str(form, "invoice") is { } invoiceId)
        {
            invoice = Invoice(invoiceId);
            if (invoice is null)
            {
                return (null, Missing("invoice", invoiceId, "invoice"));
            }

            if ((string?)invoice["status"] != "draft" || (string?)invoice["customer"] != (string?)customer["id"])
            {
                return (null, new StripeError(400, "invalid_request_error", null, "invoice", $"Invoice {invoiceId} is not a draft of customer {(string?)customer["id"]}."));
            }
        }

        var item = Store("invoiceitem", new JsonObject
        {
            ["amount"] = amount, ["currency"] = currency, ["customer"] = (string?)customer["id"], ["date"] = Now,
            ["description"] = Str(form, "description"), ["invoice"] = (string?)invoice?["id"], ["metadata"] = new JsonObject(),
            ["quantity"] = 1, ["unit_amount"] = amount,
        }).Object;
        Emit("invoiceitem.created", item, key, events);
        if (invoice is not null)
        {
            var before = (JsonObject)invoice.DeepClone();
            Recalculate(invoice);
            Emit("invoice.updated", invoice, key, events, Previous(before, invoice));
        }

        return Ok(item);
    }

    private (JsonNode?, StripeError?) FinalizeInvoice(string id, string? key, List<JsonObject> events)
    {
        if (Invoice(id) is not { } invoice)
        {
            return (null, Missing("invoice", id, "invoice"));
        }

        if ((string?)invoice["status"] != "draft")
        {
            return (null, new StripeError(400, "invalid_request_error", "invoice_not_editable", null, $"This invoice is already finalized, you can't re-finalize a non-draft invoice."));
        }

        var customer = _byId[(string)invoice["customer"]!].Object;
        invoice["status"] = "open";
        invoice["number"] = $"{(string?)customer["invoice_prefix"]}-{(++_invoiceNumber).ToString("0000", CultureInfo.InvariantCulture)}";
        invoice["status_transitions"]!["finalized_at"] = Now;
        invoice["hosted_invoice_url"] = $"https://invoice.stripe.com/i/acct_sandbox/test_{RandomId(24)}";
        Emit("invoice.finalized", invoice, key, events);
        return Ok(invoice);
    }

    private (JsonNode?, StripeError?) PayInvoice(string id, string? key, List<JsonObject> events)
    {
        if (Invoice(id) is not { } invoice)
        {
            return (null, Missing("invoice", id, "invoice"));
        }

        if ((string?)invoice["status"] == "draft")
        {
            FinalizeInvoice(id, key, events);
        }

        if ((string?)invoice["status"] != "open")
        {
            return (null, new StripeError(400, "invalid_request_error", "invoice_payment_intent_requires_action", null, $"Invoice is already {(string?)invoice["status"]}."));
        }

        Payment((string)invoice["customer"]!, (long)invoice["amount_remaining"]!, (string)invoice["currency"]!, id, key, events);
        invoice["amount_paid"] = (long)invoice["amount_due"]!;
        invoice["amount_remaining"] = 0L;
        invoice["status"] = "paid";
        invoice["status_transitions"]!["paid_at"] = Now;
        Emit("invoice.paid", invoice, key, events);
        return Ok(invoice);
    }

    private JsonObject Payment(string? customer, long amount, string currency, string? invoice, string? key, List<JsonObject> events)
    {
        var intent = Store("payment_intent", new JsonObject
        {
            ["amount"] = amount, ["amount_received"] = amount, ["currency"] = currency, ["customer"] = customer, ["description"] = null,
            ["invoice"] = invoice, ["metadata"] = new JsonObject(), ["payment_method_types"] = new JsonArray("card"), ["status"] = "succeeded",
        }).Object;
        Emit("payment_intent.created", intent, key, events);
        Emit("payment_intent.succeeded", intent, key, events);
        return intent;
    }

    private JsonObject? Invoice(string id) =>
        _byId.TryGetValue(id, out var o) && (string?)o.Object["object"] == "invoice" ? o.Object : null;

    private IEnumerable<JsonObject> Objects(string objectName) =>
        _all.Where(o => (string?)o.Object["object"] == objectName && o.Object["deleted"] is null).Select(o => o.Object);

    /// <summary>An invoice's totals and lines follow from its items.</summary>
    private void Recalculate(JsonObject invoice)
    {
        var items = Objects("invoiceitem").Where(i => (string?)i["invoice"] == (string?)invoice["id"]).ToList();
        var total = items.Sum(i => (long)i["amount"]!);
        invoice["subtotal"] = total;
        invoice["total"] = total;
        invoice["amount_due"] = total;
        invoice["amount_remaining"] = total - (long)invoice["amount_paid"]!;
        invoice["lines"] = Lines(items.Select(i => new JsonObject
        {
            ["id"] = "il_" + ((string)i["id"]!)[3..], ["object"] = "line_item", ["amount"] = (long)i["amount"]!, ["currency"] = (string?)i["currency"],
            ["description"] = (string?)i["description"], ["invoice_item"] = (string?)i["id"], ["quantity"] = 1, ["type"] = "invoiceitem",
        }));
    }

    private static JsonObject Lines(IEnumerable<JsonObject> lines) =>
        new() { ["object"] = "list", ["data"] = new JsonArray(lines.Cast<JsonNode>().ToArray()), ["has_more"] = false, ["url"] = "/v1/invoices/lines" };
}
