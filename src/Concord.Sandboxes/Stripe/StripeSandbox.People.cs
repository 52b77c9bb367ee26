using System.Text.Json.Nodes;

namespace Concord.Sandboxes.Stripe;

/// <summary>What a person does in Stripe's dashboard, and what tests read back.</summary>
public sealed partial class StripeSandbox
{
    /// <summary>Creates a customer, as in the dashboard; fields are Stripe parameters (<c>email</c>, <c>address</c>{…}, <c>metadata</c>{…}).</summary>
    public Task<JsonObject> CreateCustomerAsync(JsonObject fields) => ActAsync(events => CreateCustomer(Form(fields), null, events));

    public Task<JsonObject> UpdateCustomerAsync(string id, JsonObject changes) =>
        ActAsync(events => Unwrap(UpdateCustomer(id, Form(changes), null, events)));

    public Task<JsonObject> DeleteCustomerAsync(string id) => ActAsync(events => Unwrap(DeleteCustomer(id, events)));

    /// <summary>A draft invoice for the customer with one item of <paramref name="amount"/> minor units.</summary>
    public Task<JsonObject> CreateInvoiceAsync(string customer, long amount, string currency, string? description = null) => ActAsync(events =>
    {
        var invoice = Unwrap(CreateInvoice(new JsonObject { ["customer"] = customer, ["currency"] = currency, ["description"] = description ?? "" }, null, events));
        Unwrap(CreateInvoiceItem(new JsonObject
        {
            ["customer"] = customer, ["invoice"] = (string?)invoice["id"], ["amount"] = amount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["currency"] = currency, ["description"] = description,
        }, null, events));
        return Invoice((string)invoice["id"]!)!;
    });

    public Task<JsonObject> FinalizeInvoiceAsync(string id) => ActAsync(events => Unwrap(FinalizeInvoice(id, null, events)));

    /// <summary>The customer pays the invoice: a succeeded payment intent, then <c>invoice.paid</c>.</summary>
    public Task<JsonObject> PayInvoiceAsync(string id) => ActAsync(events => Unwrap(PayInvoice(id, null, events)));

    /// <summary>A card payment by the customer that succeeds at once; a null customer is a guest's payment, which Stripe keeps without one.</summary>
    public Task<JsonObject> SimulatePaymentAsync(string? customer, long amount, string currency, string? invoice = null) =>
        ActAsync(events => Payment(customer, amount, currency, invoice, null, events));

    /// <summary>An active subscription of the customer to one price.</summary>
    public Task<JsonObject> CreateSubscriptionAsync(string customer, string price, long unitAmount, string currency, string interval, int quantity = 1) =>
        ActAsync(events =>
        {
            var now = Now;
            var end = interval == "year" ? Time.GetUtcNow().AddYears(1) : Time.GetUtcNow().AddMonths(1);
            var subscription = Store("subscription", new JsonObject
            {
                ["canceled_at"] = null, ["currency"] = currency, ["current_period_end"] = end.ToUnixTimeSeconds(), ["current_period_start"] = now,
                ["customer"] = customer,
                ["items"] = new JsonObject
                {
                    ["object"] = "list", ["has_more"] = false, ["url"] = "/v1/subscription_items",
                    ["data"] = new JsonArray(new JsonObject
                    {
                        ["id"] = "si_" + RandomId(14), ["object"] = "subscription_item", ["quantity"] = quantity,
                        ["price"] = new JsonObject
                        {
                            ["id"] = price, ["object"] = "price", ["currency"] = currency, ["unit_amount"] = unitAmount,
                            ["recurring"] = new JsonObject { ["interval"] = interval, ["interval_count"] = 1 },
                        },
                    }),
                },
                ["metadata"] = new JsonObject(), ["start_date"] = now, ["status"] = "active",
            }).Object;
            Emit("customer.subscription.created", subscription, null, events);
            return subscription;
        });

    /// <summary>The customer cancels the subscription in Stripe's own dashboard: at once, with <c>customer.subscription.deleted</c>.</summary>
    public Task<JsonObject> CancelSubscriptionAsync(string id) => ActAsync(events => Unwrap(CancelSubscription(id, events)));

    /// <summary>A customer as Stripe has it (deleted ones as Stripe's <c>deleted: true</c> stub), or null.</summary>
    public JsonObject? Customer(string id)
    {
        lock (_gate)
        {
            return _byId.TryGetValue(id, out var o) && (string?)o.Object["object"] == "customer"
                ? (JsonObject)(o.Object["deleted"] is not null ? Tombstone(o.Object) : o.Object.DeepClone())
                : null;
        }
    }

    public IReadOnlyList<JsonObject> Customers => Snapshot("customer");

    public IReadOnlyList<JsonObject> Invoices => Snapshot("invoice");

    public IReadOnlyList<JsonObject> InvoiceItems => Snapshot("invoiceitem");

    public IReadOnlyList<JsonObject> PaymentIntents => Snapshot("payment_intent");

    public IReadOnlyList<JsonObject> Subscriptions => Snapshot("subscription");

    /// <summary>Every event, oldest first.</summary>
    public IReadOnlyList<JsonObject> Events
    {
        get
        {
            lock (_gate)
            {
                return _all.Where(o => (string?)o.Object["object"] == "event").Select(o => (JsonObject)o.Object.DeepClone()).ToList();
            }
        }
    }

    private List<JsonObject> Snapshot(string objectName)
    {
        lock (_gate)
        {
            return Objects(objectName).Select(o => (JsonObject)o.DeepClone()).ToList();
        }
    }

    /// <summary>Runs a change under the lock, then sends its webhooks (in order) before returning.</summary>
    private async Task<JsonObject> ActAsync(Func<List<JsonObject>, JsonObject> change)
    {
        var events = new List<JsonObject>();
        JsonObject result;
        lock (_gate)
        {
            result = (JsonObject)change(events).DeepClone();
        }

        foreach (var e in events)
        {
            await SendWebhookAsync(e);
        }

        return result;
    }

    /// <summary>Parameters as a form would carry them: every value a string, as Stripe receives it.</summary>
    private static JsonObject Form(JsonObject fields)
    {
        var form = new JsonObject();
        foreach (var (k, v) in fields)
        {
            form[k] = v switch
            {
                null => "",
                JsonObject o => Form(o),
                JsonValue value when value.TryGetValue<string>(out var s) => s,
                _ => v.ToJsonString(),
            };
        }

        return form;
    }

    private static JsonObject Unwrap((JsonNode? Result, StripeError? Error) answer) =>
        answer.Error is { } e ? throw new InvalidOperationException($"Stripe sandbox: {e.Message}") : (JsonObject)answer.Result!;
}
