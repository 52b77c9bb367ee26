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

    /// <summary>Adds the hashes of <see cref="Keys"/> to <paramref name="into"/> without building the key strings.</summary>
    internal void AddHashes(PreparedValue? value, List<long> into)
    {
        if (value is null)
        {
            return;
        }

        var text = value.Text;
        switch (Transform)
        {
            case KeyTransform.Prefix:
                into.Add(BlockingHash.Of(text.AsSpan(0, Math.Min(Length, text.Length))));
                break;
            case KeyTransform.Suffix:
                if (text.Length >= Length)
                {
                    into.Add(BlockingHash.Of(text.AsSpan(text.Length - Length)));
                }

                break;
            case KeyTransform.Phonetic:
                if (value.Phonetic.Length > 0)
                {
                    into.Add(BlockingHash.Of(value.Phonetic));
                }

                break;
            case KeyTransform.Tokens:
                foreach (var token in value.Tokens)
                {
                    if (token.Length >= Math.Max(1, Length))
                    {
                        into.Add(BlockingHash.Of(token));
                    }
                }

                break;
            default:
                into.Add(BlockingHash.Of(text));
                break;
        }
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
    /// <summary>
    /// Keys that split a block of more than <see cref="RefineAbove"/> records: within such a block
    /// two records are paired only when they also share a key of one of these parts (any of them;
    /// the parts' keys are pooled, so the first letter of one name field can meet the same letter
    /// in another). A block grows with the store while a thing's own copies do not, so a large
    /// store compares fewer strangers per record and a small one is blocked exactly as before.
    /// </summary>
    public IReadOnlyList<BlockingKey> Refinement { get; init; } = [];

    /// <summary>Block size beyond which <see cref="Refinement"/> splits a block (0: never).</summary>
    public int RefineAbove { get; init; }

    /// <summary>Whether a block of <paramref name="size"/> records is split by the refinement.</summary>
    public bool Refines(int size) => RefineAbove > 0 && Refinement.Count > 0 && size > RefineAbove;

    /// <summary>Whether a block of <paramref name="size"/> records is expanded into pairs (not above <see cref="MaxBlockSize"/>).</summary>
    public bool Expands(int size) => size > 1 && (MaxBlockSize <= 0 || size <= MaxBlockSize);

    /// <summary>The fields the rule reads.</summary>
    public IEnumerable<string> Fields => Keys.Select(k => k.Field).Distinct(StringComparer.Ordinal);
}
