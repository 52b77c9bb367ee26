namespace Concord.Core.Flows.Expressions;

/// <summary>
/// Bounds that keep evaluation cheap whatever a configuration says: the text of one template, how deeply
/// expressions nest (the parser recurses), and how long any text or list a template builds may grow
/// (<c>join</c>, <c>replace</c> and <c>+</c> could otherwise multiply a value).
/// </summary>
public sealed record ExpressionLimits
{
    /// <summary>The defaults: generous for a flow step, small enough that one bad template cannot hurt the hub.</summary>
    public static ExpressionLimits Default { get; } = new();

    /// <summary>Longest template or expression text, in characters.</summary>
    public int MaxTextLength { get; init; } = 10_000;

    /// <summary>Deepest nesting of parentheses, operators, lists and calls.</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>Longest text (and most list items) any step of evaluation may produce.</summary>
    public int MaxOutputLength { get; init; } = 100_000;
}
