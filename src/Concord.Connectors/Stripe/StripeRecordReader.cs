using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Mapping;
using Concord.Engine.Connectors;

namespace Concord.Connectors.Stripe;

/// <summary>
/// Lists Stripe's customers, invoices, subscriptions and payments for verification with the list
/// endpoints' cursor paging (<c>limit</c>, <c>starting_after</c>), newest first, mapped with the same
/// field maps as the event reader. Deleted customers are not listed by Stripe; subscriptions are
/// asked for with <c>status=all</c>, since the default leaves canceled ones out.
/// </summary>
public sealed class StripeRecordReader(SystemConfig system, StripeClient client) : IRecordReader
{
    /// <summary>Invoice fields a delivery sets: the writable ones, and what the first item and the customer give it.</summary>
    private static readonly HashSet<string> InvoiceWritten = ["description", "due_date", "metadata", "customer", "currency", "amount_due"];

    private static readonly Dictionary<string, string> Lists = new(StringComparer.Ordinal)
    {
        ["customer"] = "customers", ["invoice"] = "invoices", ["subscription"] = "subscriptions", ["payment"] = "payment_intents",
    };

    private readonly Dictionary<string, FieldMap> _maps = StripeMappings.All.ToDictionary(e => e.Type, e => FieldMap.For(e, system), StringComparer.Ordinal);

    public bool CanRead(string type) => Lists.ContainsKey(type);

    public async Task<RecordPage> ReadAsync(string type, string? cursor, int pageSize, CancellationToken cancellationToken)
    {
        var list = Lists.TryGetValue(type, out var l) ? l : throw new ArgumentException($"the stripe connector does not list {type} records", nameof(type));
        var query = $"/v1/{list}?limit={Math.Clamp(pageSize, 1, 100).ToString(CultureInfo.InvariantCulture)}"
            + (type == "subscription" ? "&status=all" : "")
            + (cursor is null ? "" : "&starting_after=" + StripeClient.Escape(cursor));
        var answer = await client.GetAsync(query, $"list {list}", cancellationToken);
        var records = new List<SystemRecord>();
        string? last = null;
        foreach (var item in answer.Json?["data"] as JsonArray ?? [])
        {
            if (item?["id"] is JsonValue id && id.TryGetValue<string>(out var externalId))
            {
                last = externalId;
                if (item["deleted"] is null)
                {
                    records.Add(new SystemRecord(externalId, _maps[type].FromVendor(item)));
                }
            }
        }

        var more = answer.Json?["has_more"] is JsonValue m && m.TryGetValue<bool>(out var hasMore) && hasMore;
        return new RecordPage(records, more ? last : null);
    }

    public JsonObject Expected(string type, JsonObject canonical)
    {
        var map = _maps[type];
        var references = map.ReferenceFields.Where(f => canonical[f] is JsonValue).ToDictionary(f => f, f => canonical[f]!.GetValue<string>(), StringComparer.Ordinal);
        var vendor = map.ToVendor(canonical, references);
        var written = type switch
        {
            "customer" => StripeOutbound.Writable(vendor, StripeOutbound.CustomerWritable),
            "invoice" => StripeOutbound.Writable(vendor, InvoiceWritten),
            _ => vendor,
        };
        return map.FromVendor(written);
    }
}
