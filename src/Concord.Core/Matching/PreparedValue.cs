namespace Concord.Core.Matching;

/// <summary>
/// A field value made canonical once per record, with what the comparisons and blocking keys
/// derive from it (words, phonetic key, number), so comparing a pair does no parsing.
/// </summary>
public sealed class PreparedValue
{
    private PreparedValue(string text, double? number, int? day)
    {
        Text = text;
        Number = number;
        Day = day;
    }

    /// <summary>The canonical text.</summary>
    public string Text { get; }

    // Derived on first use: most slots never need them. Two threads may both compute one; they get the same value.
    private string[]? _tokens;
    private string? _phonetic;

    /// <summary>Distinct words, sorted.</summary>
    public string[] Tokens => _tokens ??= TokenSet.Tokens(Text);

    /// <summary>NYSIIS key of the first word.</summary>
    public string Phonetic => _phonetic ??= Nysiis.Key(Text.Split(' ')[0]);

    /// <summary>Days since 0001-01-01, for a <see cref="Preparation.Date"/> that is a real date.</summary>
    public int? Day { get; }

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
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        int? day = preparation == Preparation.Date ? Dates.DayNumber(text) : null;
        return new PreparedValue(text, number, day);
    }
}
