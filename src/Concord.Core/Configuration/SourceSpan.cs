namespace Concord.Core.Configuration;

/// <summary>Where a configuration element was written: file, line and column (1-based).</summary>
public readonly record struct SourceSpan(string File, int Line, int Column)
{
    /// <summary>A span for elements that were not read from a file (defaults, built-ins).</summary>
    public static SourceSpan None { get; } = new("<built-in>", 0, 0);

    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}
