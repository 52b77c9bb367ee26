namespace Concord.Core.Matching;

/// <summary>
/// 64-bit hashes of blocking keys. Blocks are indexed by hash rather than by the key's text,
/// so building and probing the indexes allocates no strings; two keys sharing a hash (about one
/// chance in 2^64 per pair of keys) would only add candidate pairs, which scoring then keeps apart.
/// </summary>
internal static class BlockingHash
{
    private const ulong Offset = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    /// <summary>The hash of a text (FNV-1a over its characters, then mixed so that nearby texts spread).</summary>
    public static long Of(ReadOnlySpan<char> text)
    {
        var hash = Offset;
        foreach (var ch in text)
        {
            hash = (hash ^ ch) * Prime;
        }

        return (long)Mix(hash);
    }

    /// <summary>The hash of two hashes in order: a composite key's parts, or a block's key with a refinement.</summary>
    public static long Combine(long first, long second) => (long)Mix(((ulong)first * Prime) ^ (ulong)second ^ 0x9E3779B97F4A7C15);

    /// <summary>The start value a composite key's parts are combined onto.</summary>
    public const long Seed = 0x2545F4914F6CDD1D;

    private static ulong Mix(ulong x)
    {
        // splitmix64's finaliser.
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EB;
        return x ^ (x >> 31);
    }
}
