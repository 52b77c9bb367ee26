
namespace Concord.Core.Schema;

using T = FieldType;

/// <summary>
/// The entity types Concord ships. Field names are the canonical vocabulary that connectors
/// map vendor fields to; <c>concord.yaml</c> may add custom fields and custom types.
/// </summary>
public static class CanonicalSchemas
{
    private static readonly Dictionary<string, EntitySchema> All = new EntitySchema[]
    {
        new("customer",
        [
            F("email", T.Email, required: true, pii: true), F("name", T.String, required: true, pii: true),
            F("first_name", T.String, pii: true), F("last_name", T.String, pii: true), F("phone", T.Phone, pii: true),
            F("company", T.String), F("company_domain", T.Domain), F("title", T.String),
            F("address_line1", T.String, pii: true), F("address_line2", T.String, pii: true), F("city", T.String),
            F("region", T.String), F("postal_code", T.String, pii: true), F("country", T.String),
            F("lifecycle_stage", T.String), F("subscription_status", T.String), F("tax_id", T.String),
            F("currency", T.Currency), F("notes", T.Text), F("created_at", T.DateTime),
        ]),
        new("company",
        [
            F("name", T.String, required: true), F("domain", T.Domain, required: true), F("phone", T.Phone),
            F("industry", T.String), F("employee_count", T.Integer), F("annual_revenue", T.Money),
            F("address_line1", T.String), F("city", T.String), F("region", T.String), F("postal_code", T.String),
            F("country", T.String), F("tax_id", T.String), F("owner_email", T.Email, pii: true), F("created_at", T.DateTime),
        ]),
        new("deal",
        [
            F("name", T.String, required: true), F("amount", T.Money, required: true), F("currency", T.Currency),
            F("stage", T.String, required: true), F("close_date", T.Date), F("customer", T.Reference),
            F("company", T.Reference), F("customer_email", T.Email, pii: true), F("owner_email", T.Email, pii: true),
            F("probability", T.Number), F("created_at", T.DateTime),
        ]),
        new("invoice",
        [
            F("number", T.String, required: true), F("customer", T.Reference, required: true),
            F("customer_email", T.Email, pii: true), F("amount", T.Money, required: true), F("currency", T.Currency, required: true),
            F("status", T.String, required: true), F("issue_date", T.Date), F("due_date", T.Date), F("paid_at", T.DateTime),
            F("amount_paid", T.Money), F("amount_due", T.Money), F("description", T.Text), F("payment_link", T.Url),
        ]),
        new("payment",
        [
            F("amount", T.Money, required: true), F("currency", T.Currency, required: true), F("status", T.String, required: true),
            F("paid_at", T.DateTime), F("customer", T.Reference), F("customer_email", T.Email, pii: true), F("invoice", T.Reference),
            F("invoice_number", T.String), F("method", T.String), F("description", T.Text),
        ]),
        new("subscription",
        [
            F("customer", T.Reference, required: true), F("customer_email", T.Email, pii: true), F("plan", T.String, required: true),
            F("status", T.String, required: true), F("amount", T.Money), F("currency", T.Currency), F("interval", T.String),
            F("quantity", T.Integer), F("started_at", T.DateTime), F("current_period_end", T.DateTime), F("canceled_at", T.DateTime),
        ]),
        new("project",
        [
            F("name", T.String, required: true), F("status", T.String, required: true), F("client", T.Reference),
            F("owner_email", T.Email, pii: true), F("start_date", T.Date), F("due_date", T.Date), F("budget", T.Money),
            F("currency", T.Currency), F("description", T.Text),
        ]),
        new("task",
        [
            F("title", T.String, required: true), F("status", T.String, required: true), F("project", T.Reference),
            F("assignee_email", T.Email, pii: true), F("due_date", T.Date), F("completed_at", T.DateTime), F("notes", T.Text),
        ]),
        new("ticket",
        [
            F("subject", T.String, required: true), F("status", T.String, required: true), F("priority", T.String),
            F("customer", T.Reference), F("customer_email", T.Email, pii: true), F("channel", T.String),
            F("opened_at", T.DateTime), F("closed_at", T.DateTime), F("assignee_email", T.Email, pii: true), F("body", T.Text, pii: true),
        ]),
    }.ToDictionary(s => s.Type, StringComparer.Ordinal);

    /// <summary>The shipped type names.</summary>
    public static IReadOnlyCollection<string> Names => All.Keys;

    public static bool TryGet(string type, out EntitySchema schema) => All.TryGetValue(type, out schema!);

    private static FieldSchema F(string name, FieldType type, bool required = false, bool pii = false) => new(name, type, required, pii);
}
