using System.Text.Json.Nodes;

namespace Concord.Core.Flows.Expressions;

/// <summary>
/// One expression without braces, as a flow condition is written: <c>payment.amount >= 100 and
/// customer.country in ['NL', 'BE']</c>. Parsed once, evaluated against any number of contexts. Columns
/// in errors count from the first character of the text.
/// </summary>
public sealed class Expression
{
    private readonly SourceText _source;
    private readonly Node _root;
    private readonly ExpressionLimits _limits;

    private Expression(SourceText source, Node root, ExpressionLimits limits)
    {
        _source = source;
        _root = root;
        _limits = limits;
        Paths = StaticCheck.Paths(root).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The context paths the expression reads, each once, in the order written.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>Parses and statically checks <paramref name="text"/>; throws <see cref="ExpressionException"/> on the first problem.</summary>
    public static Expression Parse(string text, ExpressionLimits? limits = null)
    {
        limits ??= ExpressionLimits.Default;
        var source = new SourceText(text);
        if (text.Length > limits.MaxTextLength)
        {
            throw source.Error(limits.MaxTextLength, $"the expression is longer than {limits.MaxTextLength} characters");
        }

        var root = Parser.Parse(source, 0, text.Length, limits);
        StaticCheck.Check(source, root);
        return new Expression(source, root, limits);
    }

    /// <summary>The problems in <paramref name="text"/>, without evaluating it: empty when it is valid.</summary>
    public static IReadOnlyList<ExpressionError> Validate(string text, ExpressionLimits? limits = null)
    {
        try
        {
            Parse(text, limits);
            return [];
        }
        catch (ExpressionException problem)
        {
            return [problem.Error];
        }
    }

    /// <summary>The value of the expression over <paramref name="context"/>.</summary>
    public object? Evaluate(JsonObject context, TimeProvider clock) => Evaluate(Context.From(context), clock);

    /// <summary>The value of the expression over a context of <see cref="Values"/>.</summary>
    public object? Evaluate(IReadOnlyDictionary<string, object?> context, TimeProvider clock) =>
        new Evaluator(_source, context, clock, _limits).Evaluate(_root);

    /// <summary>Whether the expression holds, as a condition: see <see cref="Values.IsTrue"/>.</summary>
    public bool IsTrue(JsonObject context, TimeProvider clock) => Values.IsTrue(Evaluate(context, clock));
}

/// <summary>Turns a caller's JSON context into the values expressions read.</summary>
internal static class Context
{
    public static IReadOnlyDictionary<string, object?> From(JsonObject context) =>
        (IReadOnlyDictionary<string, object?>)Values.FromJson(context)!;
}
