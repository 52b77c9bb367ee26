using Concord.Core.Schema;

namespace Concord.Core.Identity;

/// <summary>
/// Turns a raw field value into the canonical form used to match records. The canonical form
/// is used for matching only: the raw value is what is stored and sent back to systems. A value
/// that identifies no one (a role mailbox, a free-mail domain, a phone of zeros) has no canonical
/// form, so it never links two records.
/// </summary>
public static class Normalizers
{
    /// <summary>The normalizer names accepted in <c>identity: [{ field, normalize }]</c>.</summary>
    public static readonly IReadOnlyList<string> Known = ["email", "domain", "phone", "exact", "lower", "upper", "digits", "alnum"];

    /// <summary>Identity keys used when an entity type declares none.</summary>
    public static IReadOnlyList<string> DefaultKeys(string type) => type switch
    {
        "customer" => ["email"],
        "company" => ["domain"],
        "invoice" => ["number"],
        _ => [],
    };

    /// <summary>The natural normalizer for a field, by its type.</summary>
    public static string DefaultFor(EntitySchema schema, string field) =>
        schema.TryGetField(field, out var f)
            ? f.Type switch
            {
                FieldType.Email => "email",
                FieldType.Domain or FieldType.Url => "domain",
                FieldType.Phone => "phone",
                _ => "exact",
            }
            : "exact";

    /// <summary>The canonical form, or null when the value cannot identify anything (empty, malformed).</summary>
    public static string? Normalize(string normalizer, string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var value = raw.Trim();
        var result = normalizer switch
        {
            "email" => EmailIdentity.Canonical(value),
            "domain" => Domain(value) is { } d && !EmailIdentity.IsFreeMail(d) ? d : null,
            "phone" => Phone(value),
            "lower" => value.ToLowerInvariant(),
            "upper" => value.ToUpperInvariant(),
            "digits" => Digits(value),
            "alnum" => new string(value.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray()),
            _ => value,
        };
        return string.IsNullOrEmpty(result) ? null : result;
    }

    /// <summary>Trimmed and case-folded; null when it is not an address at all.</summary>
    public static string? Email(string value)
    {
        var at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1 || value.Contains(' ', StringComparison.Ordinal))
        {
            return null;
        }

        return value.ToLowerInvariant();
    }

    /// <summary>The host of a URL or a bare domain, lower-case, without <c>www.</c>, port or path.</summary>
    public static string? Domain(string value)
    {
        var v = value.ToLowerInvariant();
        var scheme = v.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            v = v[(scheme + 3)..];
        }

        // An address (ann@acme.com) or credentials (user@host) before the host; an '@' after the
        // first '/' belongs to the path (medium.com/@ann) and says nothing about the domain.
        var pathStart = v.IndexOfAny(['/', '?', '#']);
        var at = (pathStart < 0 ? v : v[..pathStart]).LastIndexOf('@');
        if (at >= 0)
        {
            v = v[(at + 1)..];
        }

        var end = v.IndexOfAny(['/', ':', '?', '#']);
        if (end >= 0)
        {
            v = v[..end];
        }

        v = v.TrimEnd('.');
        if (v.StartsWith("www.", StringComparison.Ordinal))
        {
            v = v[4..];
        }

        return v.Contains('.', StringComparison.Ordinal) ? v : null;
    }

    /// <summary>
    /// A phone number for matching: international numbers (<c>+44…</c>, <c>0044…</c>) as <c>+</c> and
    /// their digits, national ones as their digits without the trunk <c>0</c>; null for fewer than six
    /// digits or a placeholder such as <c>000 000</c> (<see cref="BlockedValues.IsPlaceholderPhone"/>).
    /// </summary>
    public static string? Phone(string value)
    {
        var trimmed = value.TrimStart();
        var digits = Digits(trimmed);
        var international = trimmed.StartsWith('+') || digits.StartsWith("00", StringComparison.Ordinal);
        if (digits.StartsWith("00", StringComparison.Ordinal))
        {
            digits = digits[2..];
        }
        else if (!international && digits.StartsWith('0'))
        {
            digits = digits[1..];
        }

        if (BlockedValues.IsPlaceholderPhone(digits))
        {
            return null;
        }

        return international ? "+" + digits : digits;
    }

    private static string Digits(string value) => new(value.Where(char.IsAsciiDigit).ToArray());
}
