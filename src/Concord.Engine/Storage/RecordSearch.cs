namespace Concord.Engine.Storage;

/// <summary>
/// How a record search reads its query, the same in every store: besides names, emails, domains and
/// ids, a query that looks like a phone number is also compared digit for digit, so the way either
/// side wrote the separators does not matter.
/// </summary>
public static class RecordSearch
{
    /// <summary>What people write between a phone number's digits.</summary>
    public const string PhoneSeparators = " -().+/";

    /// <summary>Fewer digits than this are too common to search records for as a phone number.</summary>
    public const int MinPhoneDigits = 5;

    /// <summary>
    /// The query's digits when it is made of digits and <see cref="PhoneSeparators"/> only and has at least
    /// <see cref="MinPhoneDigits"/> of them; otherwise null (not a phone number).
    /// </summary>
    public static string? PhoneDigits(string query)
    {
        var digits = new System.Text.StringBuilder(query.Length);
        foreach (var c in query)
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (!PhoneSeparators.Contains(c, StringComparison.Ordinal))
            {
                return null;
            }
        }

        return digits.Length >= MinPhoneDigits ? digits.ToString() : null;
    }
}
