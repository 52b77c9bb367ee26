namespace Concord.Core.Matching;

/// <summary>
/// A field value made canonical once per record, with what the comparisons and blocking keys
/// derive from it (words, phonetic key, number), so comparing a pair does no parsing.
/// </summary>
public sealed class PreparedValue
{
    private PreparedValue(string text, double? number)
    {
        Text = text;
        Number = number;
        Tokens = TokenSet.Tokens(text);
        Phonetic = Tokens.Length > 0 ? Nysiis.Key(text.Split(' ')[0]) : string.Empty;
    }

    /// <summary>The canonical text.</summary>
    public string Text { get; }

    /// <summary>Distinct words, sorted.</summary>
    public string[] Tokens { get; }

    /// <summary>NYSIIS key of the first word.</summary>
    public string Phonetic { get; }

    /// <summary>The numeric value, for <see cref="Preparation.Number"/>.</summary>
    public double? Number { get; }

    /// <summary>The prepared value, or null when the raw value carries nothing to compare.</summary>
    public static PreparedValue? Prepare(Preparation preparation, string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        double? number = null;
        var text = preparation switch
        {
            Preparation.Company => CompanyNames.Normalize(raw),
            Preparation.Address => Addresses.Normalize(raw),
            Preparation.Digits => TextNormal.Digits(raw),
            Preparation.Email => raw.Trim().ToLowerInvariant(),
            Preparation.Date => Dates.Canonical(raw),
            Preparation.Number => (number = Numbers.Parse(raw)) is { } n ? n.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : null,
            _ => TextNormal.Clean(raw),
        };
        return string.IsNullOrEmpty(text) ? null : new PreparedValue(text, number);
    }
}
