using Concord.Core.Matching;
using Concord.Core.Records;

namespace Concord.Engine.Identity;

/// <summary>
/// Maps golden records' canonical fields onto the field names of the default match models
/// (<see cref="MatchModels"/>), whose names follow the benchmark data sets rather than the hub's.
/// </summary>
public static class GoldenMatchRecords
{
    private static readonly (string Canonical, string Model)[] CustomerFields =
    [
        ("email", "email"), ("phone", "phone"), ("address_line1", "address"), ("city", "city"), ("postal_code", "postcode"), ("region", "state"),
    ];

    private static readonly (string Canonical, string Model)[] CompanyFields =
    [
        ("name", "name"), ("address_line1", "address"), ("city", "city"), ("postal_code", "postcode"), ("phone", "phone"), ("domain", "domain"),
    ];

    /// <summary>The record as the model sees it.</summary>
    public static MatchRecord For(MatchModel model, GoldenRecord record)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(record);
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        var customer = model.EntityType == MatchModels.Customer.EntityType;
        foreach (var (canonical, name) in customer ? CustomerFields : CompanyFields)
        {
            fields[name] = Text(record, canonical);
        }

        if (customer)
        {
            var (first, last) = (Text(record, "first_name"), Text(record, "last_name"));
            if (first is null && last is null && Text(record, "name") is { } full)
            {
                // Most systems hold one name field; the surname is usually its last word.
                var space = full.LastIndexOf(' ');
                (first, last) = space < 0 ? (null, full) : (full[..space].Trim(), full[(space + 1)..]);
            }

            fields["first_name"] = first;
            fields["last_name"] = last;
        }

        return new MatchRecord(record.Id, fields);
    }

    private static string? Text(GoldenRecord record, string field) =>
        record.BestValueOf(field)?.ToString() is { Length: > 0 } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
}
