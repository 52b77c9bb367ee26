using Concord.Core.Mapping;

namespace Concord.Connectors.Stripe;

/// <summary>
/// The entity types the Stripe connector syncs and their default canonical ↔ Stripe field mapping
/// (API version <see cref="StripeClient.ApiVersion"/>). Amounts are integer minor units in Stripe,
/// times are Unix seconds, currencies are already lower case.
/// </summary>
public static class StripeMappings
{
    public static readonly EntitySupport Customer = new("customer", "customer", EntityOperations.ReadWrite, new Dictionary<string, string>
    {
        ["email"] = "email",
        ["name"] = "name",
        ["phone"] = "phone",
        ["address_line1"] = "address.line1",
        ["address_line2"] = "address.line2",
        ["city"] = "address.city",
        ["region"] = "address.state",
        ["postal_code"] = "address.postal_code",
        ["country"] = "address.country",
        ["notes"] = "description",

        // Stripe's own tax ids are typed sub-objects (tax_id_data); a free-text number fits metadata.
        ["tax_id"] = "metadata.tax_id",
        ["created_at"] = "created|unix",
    });

    public static readonly EntitySupport Invoice = new("invoice", "invoice", EntityOperations.Read | EntityOperations.Create | EntityOperations.Update, new Dictionary<string, string>
    {
        ["number"] = "number",
        ["customer"] = "customer|ref",
        ["customer_email"] = "customer_email",
        ["amount"] = "amount_due|cents",
        ["amount_due"] = "amount_remaining|cents",
        ["amount_paid"] = "amount_paid|cents",
        ["currency"] = "currency",
        ["status"] = "status",
        ["issue_date"] = "created|unix_date",
        ["due_date"] = "due_date|unix_date",
        ["paid_at"] = "status_transitions.paid_at|unix",
        ["description"] = "description",
        ["payment_link"] = "hosted_invoice_url",
    });

    public static readonly EntitySupport Payment = new("payment", "payment_intent", EntityOperations.Read, new Dictionary<string, string>
    {
        ["amount"] = "amount|cents",
        ["currency"] = "currency",
        ["status"] = "status",
        ["customer"] = "customer|ref",
        ["invoice"] = "invoice|ref",
        ["paid_at"] = "created|unix",
        ["method"] = "payment_method_types.0",
        ["description"] = "description",
    });

    public static readonly EntitySupport Subscription = new("subscription", "subscription", EntityOperations.Read, new Dictionary<string, string>
    {
        ["customer"] = "customer|ref",
        ["plan"] = "items.data.0.price.id",
        ["status"] = "status",
        ["amount"] = "items.data.0.price.unit_amount|cents",
        ["currency"] = "currency",
        ["interval"] = "items.data.0.price.recurring.interval",
        ["quantity"] = "items.data.0.quantity",
        ["started_at"] = "start_date|unix",

        // Before API version 2025-03-31 (Basil) the period is on the subscription itself.
        ["current_period_end"] = "current_period_end|unix",
        ["canceled_at"] = "canceled_at|unix",
    });

    public static IReadOnlyList<EntitySupport> All { get; } = [Customer, Invoice, Payment, Subscription];

    /// <summary>The <c>metadata</c> key under which objects the hub creates in Stripe keep the hub's record id.</summary>
    public const string RecordIdKey = "concord_record_id";

    /// <summary>The canonical type of a Stripe object, by its <c>object</c> field; null for objects Concord does not sync.</summary>
    public static string? TypeOf(string? stripeObject) => All.FirstOrDefault(e => e.VendorObject == stripeObject)?.Type;
}
