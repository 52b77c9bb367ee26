using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Mapping;
using Concord.Engine.Connectors;

namespace Concord.Connectors.QuickBooks;

/// <summary>
/// Lists customers, invoices and payments for verification with the query endpoint, paging with
/// <c>STARTPOSITION</c> (1-based) and <c>MAXRESULTS</c>; the cursor is the next start position.
/// An inactive customer is QuickBooks' deleted customer, so it is not listed as held.
/// </summary>
public sealed class QuickBooksRecordReader(SystemConfig system, QuickBooksClient client) : IRecordReader
{
    private readonly Dictionary<string, FieldMap> _maps = QuickBooksMappings.Entities.ToDictionary(e => e.Type, e => FieldMap.For(e, system), StringComparer.Ordinal);

    public bool CanRead(string type) => _maps.ContainsKey(type);

    public async Task<RecordPage> ReadAsync(string type, string? cursor, int pageSize, CancellationToken cancellationToken)
    {
        var support = QuickBooksMappings.Entities.FirstOrDefault(e => e.Type == type) ?? throw new ArgumentException($"the quickbooks connector does not list {type} records", nameof(type));
        var start = cursor is null ? 1 : int.Parse(cursor, NumberStyles.None, CultureInfo.InvariantCulture);
        var size = Math.Clamp(pageSize, 1, 1000);
        var query = string.Create(CultureInfo.InvariantCulture, $"SELECT * FROM {support.VendorObject} STARTPOSITION {start} MAXRESULTS {size}");
        var response = await client.GetAsync("query", [new("query", query)], $"query {support.VendorObject}", cancellationToken);
        var found = response["QueryResponse"]?[support.VendorObject] as JsonArray ?? [];
        var records = new List<SystemRecord>();
        foreach (var obj in found.OfType<JsonObject>())
        {
            var inactive = support == QuickBooksMappings.Customer && obj["Active"] is JsonValue a && a.TryGetValue<bool>(out var active) && !active;
            if (obj["Id"]?.ToString() is { } id && !inactive)
            {
                records.Add(new SystemRecord(id, _maps[type].FromVendor(obj)));
            }
        }

        return new RecordPage(records, found.Count < size ? null : (start + found.Count).ToString(CultureInfo.InvariantCulture));
    }

    public JsonObject Expected(string type, JsonObject canonical)
    {
        var map = _maps[type];
        var references = map.ReferenceFields.Where(f => canonical[f] is JsonValue).ToDictionary(f => f, f => canonical[f]!.GetValue<string>(), StringComparer.Ordinal);
        var expected = map.FromVendor(map.ToVendor(canonical, references));

        // QuickBooks computes an invoice's balance from its payments: the hub does not write it.
        if (type == "invoice")
        {
            expected.Remove("amount_due");
        }

        return expected;
    }
}
