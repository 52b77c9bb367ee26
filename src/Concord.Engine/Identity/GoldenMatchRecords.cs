using Concord.Core.Configuration;
using Concord.Core.Identity;
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
        ("address_line1", "address"), ("city", "city"), ("postal_code", "postcode"), ("region", "state"),
    ];

    private static readonly (string Canonical, string Model)[] CompanyFields =
    [
        ("address_line1", "address"), ("city", "city"), ("postal_code", "postcode"),
    ];

    /// <summary>
    /// The record as the model sees it. With <paramref name="type"/>, values blocked for it (built-in
    /// placeholders and <c>guardrails.blocked_values</c>) are missing: they say nothing about who it is.
    /// </summary>
    public static MatchRecord For(MatchModel model, GoldenRecord record, EntityTypeConfig? type = null)
    {
        string? Text(GoldenRecord r, string field) =>
            GoldenMatchRecords.Text(r, field) is { } text && (type is null || !BlockedValues.IsBlocked(type, field, text)) ? text : null;

        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(record);
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        var customer = model.EntityType == MatchModels.Customer.EntityType;
        foreach (var (canonical, name) in customer ? CustomerFields : CompanyFields)
        {
            fields[name] = Text(record, canonical);
        }

        // Only what identifies: a role mailbox (info@, billing@) or a placeholder phone says nothing
        // about who a record is. The canonical forms are for comparing only; sources keep their values.
        fields["phone"] = Text(record, "phone") is { } phone ? Normalizers.Phone(phone) : null;
        var email = Text(record, "email") is { } e ? EmailIdentity.Canonical(e) : null;
        if (customer)
        {
            fields["email"] = email;
        }
        else
        {
            fields["name"] = Text(record, "name") ?? Text(record, "company");
            // A role mailbox does not say who someone is, but its domain still says which business.
            var raw = GoldenMatchRecords.Text(record, "email");
            var usable = raw is not null && (BlockedValues.IsRoleMailbox(raw) || Text(record, "email") is not null) ? raw : null;
            fields["domain"] = Domain(record, usable, Text);
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

    /// <summary>A business's domain: its own, else its website's, else its email's unless that is a free-mail provider.</summary>
    private static string? Domain(GoldenRecord record, string? email, Func<GoldenRecord, string, string?> text)
    {
        foreach (var field in new[] { "domain", "company_domain", "website" })
        {
            if (text(record, field) is { } value && Normalizers.Domain(value) is { } domain)
            {
                return domain;
            }
        }

        if (email is not null && Normalizers.Domain(email) is { } fromEmail && !EmailIdentity.IsFreeMail(fromEmail))
        {
            return fromEmail;
        }

        return null;
    }

    private static string? Text(GoldenRecord record, string field) =>
        record.BestValueOf(field)?.ToString() is { Length: > 0 } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
}
