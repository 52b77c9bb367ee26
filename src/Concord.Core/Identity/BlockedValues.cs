using Concord.Core.Configuration;
using Concord.Core.Schema;

namespace Concord.Core.Identity;

/// <summary>
/// Values that must never identify or match a record. A team mailbox (<c>info@</c>, <c>billing@</c>),
/// a placeholder phone (<c>000 000 0000</c>) or a placeholder tax id (<c>n/a</c>, <c>999999999</c>) is
/// shared by unrelated records, so treating it as identity would link or merge different customers.
/// Built-in rules cover those by field kind; <c>guardrails.blocked_values</c> adds patterns per type and
/// field, where <c>*</c> stands for any text.
/// </summary>
public static class BlockedValues
{
    /// <summary>What people type when a form insists on a value they do not have.</summary>
    public static readonly IReadOnlySet<string> Placeholders = new HashSet<string>(StringComparer.Ordinal)
    {
        "n/a", "na", "n.a.", "none", "null", "nil", "unknown", "tbd", "tba", "test", "-", "--", "?", "x", "xx", "xxx", "0", ".",
    };

    private enum Kind
    {
        Text,
        Email,
        Phone,
        TaxId,
    }

    /// <summary>
    /// True when <paramref name="value"/> of <paramref name="field"/> must not identify a record of
    /// <paramref name="type"/>: a built-in placeholder for the field's kind, or a configured pattern.
    /// Empty values are absent, not blocked.
    /// </summary>
    public static bool IsBlocked(EntityTypeConfig type, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var kind = KindOf(type, field);
        if (BuiltIn(kind, value))
        {
            return true;
        }

        if (!type.BlockedValues.TryGetValue(field, out var patterns))
        {
            return false;
        }

        var folded = Fold(kind, value);
        return patterns.Any(p => Glob(Fold(kind, p), folded));
    }

    /// <summary>The canonical value of an identity key, or null when the value is blocked or identifies nothing.</summary>
    public static string? IdentityValue(EntityTypeConfig type, IdentityKey key, string? raw) =>
        IsBlocked(type, key.Field, raw) ? null : Normalizers.Normalize(key.Normalizer, raw);

    /// <summary>True for an address whose mailbox a team shares (<c>info@</c>, <c>billing+eu@</c>).</summary>
    public static bool IsRoleMailbox(string address)
    {
        var at = address.LastIndexOf('@');
        if (at <= 0)
        {
            return false;
        }

        var local = address[..at].Trim().ToLowerInvariant();
        var plus = local.IndexOf('+', StringComparison.Ordinal);
        return EmailIdentity.RoleMailboxes.Contains(plus > 0 ? local[..plus] : local);
    }

    /// <summary>
    /// True for digits no real phone has: fewer than six, one digit repeated, the last seven all
    /// one digit after a country or area code (<c>+1 000 000 0000</c>), or a counting run (<c>123456789</c>).
    /// </summary>
    public static bool IsPlaceholderPhone(string digits)
    {
        if (digits.Length < 6 || digits.All(c => c == digits[0]))
        {
            return true;
        }

        var tail = digits[^Math.Min(7, digits.Length)..];
        return tail.All(c => c == tail[0]) || "01234567890".Contains(digits, StringComparison.Ordinal) || "9876543210".Contains(digits, StringComparison.Ordinal);
    }

    /// <summary>True for a tax id that is a placeholder: a word such as <c>n/a</c>, one character repeated, or a counting run.</summary>
    public static bool IsPlaceholderTaxId(string value)
    {
        var text = value.Trim().ToLowerInvariant();
        if (Placeholders.Contains(text))
        {
            return true;
        }

        var alnum = new string(text.Where(char.IsLetterOrDigit).ToArray());
        return alnum.Length == 0 || alnum.All(c => c == alnum[0]) || (alnum.Length >= 6 && "0123456789".Contains(alnum, StringComparison.Ordinal));
    }

    private static bool BuiltIn(Kind kind, string value) => kind switch
    {
        Kind.Email => IsRoleMailbox(value) || Placeholders.Contains(Fold(Kind.Text, value)),
        Kind.Phone => IsPlaceholderPhone(Digits(value)),
        Kind.TaxId => IsPlaceholderTaxId(value),
        _ => Placeholders.Contains(Fold(Kind.Text, value)),
    };

    /// <summary>The field's kind: its schema type, else the normaliser of an identity key on it, else its name (tax ids are strings).</summary>
    private static Kind KindOf(EntityTypeConfig type, string field)
    {
        var fieldType = type.Schema.TryGetField(field, out var schema) ? schema.Type : FieldType.String;
        var normalizer = type.Identity.FirstOrDefault(k => k.Field == field)?.Normalizer;
        if (fieldType == FieldType.Email || normalizer == "email")
        {
            return Kind.Email;
        }

        if (fieldType == FieldType.Phone || normalizer == "phone")
        {
            return Kind.Phone;
        }

        return field is "tax_id" or "vat" or "vat_number" or "ein" or "tax_number" ? Kind.TaxId : Kind.Text;
    }

    /// <summary>The form values and patterns are compared in: digits for phones, else trimmed, lower-case, single-spaced.</summary>
    private static string Fold(Kind kind, string value) => kind == Kind.Phone
        ? new string(value.Where(c => char.IsAsciiDigit(c) || c == '*').ToArray())
        : string.Join(' ', value.Trim().ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static string Digits(string value) => new(value.Where(char.IsAsciiDigit).ToArray());

    /// <summary>Whole-value match where <c>*</c> stands for any run of characters (none included).</summary>
    internal static bool Glob(string pattern, string value)
    {
        int p = 0, v = 0, star = -1, resume = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = v;
            }
            else if (p < pattern.Length && pattern[p] == value[v])
            {
                p++;
                v++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
