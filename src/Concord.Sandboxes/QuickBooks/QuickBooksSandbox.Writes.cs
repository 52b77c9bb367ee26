using System.Globalization;
using System.Text.Json.Nodes;

namespace Concord.Sandboxes.QuickBooks;

/// <summary>Creating, updating and deleting objects the way QuickBooks does. Callers hold the lock.</summary>
public sealed partial class QuickBooksSandbox
{
    private static readonly string[] ServerOwned = ["Id", "SyncToken", "MetaData", "sparse", "domain", "status"];

    /// <summary>A create (no <c>Id</c>) or an update (<c>Id</c> + <c>SyncToken</c>, sparse or full).</summary>
    private (int Status, JsonObject Reply) Write(string entity, JsonObject body)
    {
        var store = _objects[entity];
        JsonObject target;
        var now = Stamp();
        if (body["Id"]?.ToString() is { } idText)
        {
            if (!long.TryParse(idText, CultureInfo.InvariantCulture, out var id) || !store.TryGetValue(id, out var current))
            {
                return (400, QuickBooksFaults.NotFound(entity, idText));
            }

            if (body["SyncToken"]?.ToString() is not { } token)
            {
                return (400, QuickBooksFaults.Required("SyncToken"));
            }

            if (token != current["SyncToken"]!.ToString())
            {
                return (400, QuickBooksFaults.Stale(entity, idText));
            }

            target = body["sparse"] is JsonValue sparse && sparse.TryGetValue<bool>(out var isSparse) && isSparse
                ? (JsonObject)current.DeepClone()
                : new JsonObject { ["Id"] = idText, ["MetaData"] = current["MetaData"]!.DeepClone() };
            Copy(body, target);
            target["SyncToken"] = (long.Parse(token, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
            target["MetaData"]!["LastUpdatedTime"] = now;
        }
        else
        {
            target = new JsonObject { ["domain"] = "QBO", ["sparse"] = false };
            Copy(body, target);
            target["Id"] = _nextId.ToString(CultureInfo.InvariantCulture);
            target["SyncToken"] = "0";
            target["MetaData"] = new JsonObject { ["CreateTime"] = now, ["LastUpdatedTime"] = now };
        }

        if (Check(entity, target) is { } refused)
        {
            return (400, refused);
        }

        if (body["Id"] is null)
        {
            _nextId++;
        }

        Derive(entity, target, now);
        store[long.Parse(target["Id"]!.ToString(), CultureInfo.InvariantCulture)] = target;
        return (200, Envelope(entity, target));
    }

    /// <summary><c>operation=delete</c>: invoices and payments go; customers are made inactive instead.</summary>
    private (int Status, JsonObject Reply) Delete(string entity, JsonObject body)
    {
        var idText = body["Id"]?.ToString() ?? "";
        if (!long.TryParse(idText, CultureInfo.InvariantCulture, out var id) || !_objects[entity].TryGetValue(id, out var current))
        {
            return (400, QuickBooksFaults.NotFound(entity, idText));
        }

        if (entity == "Customer")
        {
            return (400, QuickBooksFaults.Validation("500", "Unsupported Operation", "Operation Delete is not supported for Customer; make it inactive (Active=false)"));
        }

        if (body["SyncToken"]?.ToString() != current["SyncToken"]!.ToString())
        {
            return (400, QuickBooksFaults.Stale(entity, idText));
        }

        _objects[entity].Remove(id);
        var tombstone = new JsonObject { ["Id"] = idText, ["status"] = "Deleted", ["domain"] = "QBO", ["MetaData"] = new JsonObject { ["LastUpdatedTime"] = Stamp() } };
        _deleted.Add((entity, tombstone));
        return (200, Envelope(entity, (JsonObject)tombstone.DeepClone()));
    }

    private static void Copy(JsonObject from, JsonObject to)
    {
        foreach (var (key, value) in from)
        {
            if (!ServerOwned.Contains(key))
            {
                to[key] = value?.DeepClone();
            }
        }
    }

    /// <summary>QuickBooks' own rules for a write, beyond the XSD; null when it is accepted.</summary>
    private JsonObject? Check(string entity, JsonObject target)
    {
        switch (entity)
        {
            case "Customer":
                var name = target["DisplayName"]?.ToString();
                if (string.IsNullOrWhiteSpace(name))
                {
                    return QuickBooksFaults.Required("DisplayName");
                }

                var active = target["Active"] is not JsonValue a || !a.TryGetValue<bool>(out var isActive) || isActive;
                if (active && _objects["Customer"].Values.Any(c => c["Id"]!.ToString() != target["Id"]!.ToString()
                        && string.Equals(c["DisplayName"]?.ToString(), name, StringComparison.OrdinalIgnoreCase)
                        && (c["Active"] is not JsonValue ca || !ca.TryGetValue<bool>(out var other) || other)))
                {
                    return QuickBooksFaults.DuplicateName(name);
                }

                break;
            case "Invoice":
                if (CustomerMissing(target) is { } noCustomer)
                {
                    return noCustomer;
                }

                if (target["Line"] is not JsonArray { Count: > 0 })
                {
                    return QuickBooksFaults.Required("Line");
                }

                break;
            case "Payment":
                if (CustomerMissing(target) is { } noPayer)
                {
                    return noPayer;
                }

                if (target["TotalAmt"] is null)
                {
                    return QuickBooksFaults.Required("TotalAmt");
                }

                break;
        }

        return null;
    }

    private JsonObject? CustomerMissing(JsonObject target)
    {
        var id = target["CustomerRef"]?["value"]?.ToString();
        if (id is null)
        {
            return QuickBooksFaults.Required("CustomerRef");
        }

        return long.TryParse(id, CultureInfo.InvariantCulture, out var n) && _objects["Customer"].ContainsKey(n) ? null : QuickBooksFaults.NotFound("Customer", id);
    }

    /// <summary>What QuickBooks computes: an invoice's total and balance; a payment reduces the balance of the invoice it pays.</summary>
    private void Derive(string entity, JsonObject target, string now)
    {
        if (entity == "Customer")
        {
            target["Active"] ??= true;
        }
        else if (entity == "Invoice")
        {
            var total = (target["Line"] as JsonArray ?? []).Sum(l => l?["Amount"] is JsonValue v && v.TryGetValue<decimal>(out var d) ? d : 0m);
            var paid = _objects["Payment"].Values
                .Where(p => (p["Line"] as JsonArray ?? []).Any(l => (l?["LinkedTxn"] as JsonArray ?? []).Any(t => t?["TxnId"]?.ToString() == target["Id"]!.ToString())))
                .Sum(p => p["TotalAmt"] is JsonValue v && v.TryGetValue<decimal>(out var d) ? d : 0m);
            target["TotalAmt"] = total;
            target["Balance"] = Math.Max(0, total - paid);
            target["TxnDate"] ??= now[..10];
        }
        else if (entity == "Payment")
        {
            target["TxnDate"] ??= now[..10];
            foreach (var linked in (target["Line"] as JsonArray ?? []).SelectMany(l => l?["LinkedTxn"] as JsonArray ?? []))
            {
                if (long.TryParse(linked?["TxnId"]?.ToString(), CultureInfo.InvariantCulture, out var invoiceId) && _objects["Invoice"].TryGetValue(invoiceId, out var invoice)
                    && invoice["Balance"] is JsonValue b && b.TryGetValue<decimal>(out var balance))
                {
                    var amount = target["TotalAmt"] is JsonValue v && v.TryGetValue<decimal>(out var d) ? d : 0m;
                    invoice["Balance"] = Math.Max(0, balance - amount);
                    invoice["SyncToken"] = (long.Parse(invoice["SyncToken"]!.ToString(), CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
                    invoice["MetaData"]!["LastUpdatedTime"] = Stamp();
                }
            }
        }
    }

    private static JsonObject Envelope(string entity, JsonObject obj) => new()
    {
        [entity] = obj.DeepClone(),
        ["time"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
    };
}
