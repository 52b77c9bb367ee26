namespace Concord.Core.Matching;

/// <summary>How a blocking key is derived from a prepared value.</summary>
public enum KeyTransform
{
    /// <summary>The whole canonical text.</summary>
    Whole,

    /// <summary>The first <see cref="BlockingKey.Length"/> characters.</summary>
    Prefix,

    /// <summary>The last <see cref="BlockingKey.Length"/> characters (the local part of a phone number).</summary>
    Suffix,

    /// <summary>The NYSIIS key of the first word.</summary>
    Phonetic,

    /// <summary>Every word of at least <see cref="BlockingKey.Length"/> characters, each its own key.</summary>
    Tokens,
}

/// <summary>One part of a blocking rule's key.</summary>
/// <param name="Field">The field.</param>
/// <param name="Preparation">How its value is made canonical first.</param>
/// <param name="Transform">What of the canonical value is the key.</param>
/// <param name="Length">The transform's length, where it takes one.</param>
public sealed record BlockingKey(string Field, Preparation Preparation, KeyTransform Transform = KeyTransform.Whole, int Length = 0)
{
    /// <summary>The keys of a value (several for <see cref="KeyTransform.Tokens"/>); none when it is missing.</summary>
    public IEnumerable<string> Keys(PreparedValue? value)
    {
        if (value is null)
        {
            return [];
        }

        var text = value.Text;
        return Transform switch
        {
            KeyTransform.Prefix => [text[..Math.Min(Length, text.Length)]],
            KeyTransform.Suffix => text.Length >= Length ? [text[^Length..]] : [],
            KeyTransform.Phonetic => value.Phonetic.Length > 0 ? [value.Phonetic] : [],
            KeyTransform.Tokens => value.Tokens.Where(t => t.Length >= Math.Max(1, Length)),
            _ => [text],
        };
    }
}

/// <summary>
/// A blocking rule: two records become a candidate pair when every part of the rule's key is
/// equal. A model's rules are OR-ed: a pair is compared when any rule brings it together.
/// </summary>
/// <param name="Name">Name in reports.</param>
/// <param name="Keys">The key parts, all of which must agree.</param>
/// <param name="MaxBlockSize">
/// Blocks with more records than this are not expanded (0: no limit). A key shared by very many
/// records (a common word) does not identify anything, and its pairs would grow quadratically.
/// </param>
public sealed record BlockingRule(string Name, IReadOnlyList<BlockingKey> Keys, int MaxBlockSize = 0)
{
    /// <summary>The fields the rule reads.</summary>
    public IEnumerable<string> Fields => Keys.Select(k => k.Field).Distinct(StringComparer.Ordinal);
}
