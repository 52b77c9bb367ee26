using System.Globalization;

namespace Concord.Core.Flows.Expressions;

/// <summary>
/// Walks a parsed expression over a context. A path that is missing anywhere along the way is null, never
/// an error; type mismatches, unknown functions and wrong argument counts are errors at the position of
/// the operator or call.
/// </summary>
internal sealed class Evaluator(SourceText source, IReadOnlyDictionary<string, object?> context, TimeProvider clock, ExpressionLimits limits)
{
    public object? Evaluate(Node node) => node switch
    {
        LiteralNode literal => literal.Value,
        ListNode list => Bounded(list.Items.Select(Evaluate).ToList(), list.Offset),
        PathNode path => Read(path),
        UnaryNode { Operator: "not" } unary => !Values.IsTrue(Evaluate(unary.Operand)),
        UnaryNode unary => Negate(Evaluate(unary.Operand), unary.Offset),
        BinaryNode binary => Binary(binary),
        CallNode call => Call(call),
        _ => throw new InvalidOperationException("unknown node " + node.GetType().Name),
    };

    private object? Read(PathNode path)
    {
        var value = context.GetValueOrDefault(path.Root);
        foreach (var step in path.Steps)
        {
            value = (value, step.Name) switch
            {
                (IReadOnlyDictionary<string, object?> obj, string name) => obj.GetValueOrDefault(name),
                (IReadOnlyList<object?> list, null) => step.Index < list.Count ? list[step.Index] : null,
                _ => null,
            };
            if (value is null)
            {
                return null;
            }
        }

        return value;
    }

    private object? Negate(object? value, int offset) => value switch
    {
        null => null,
        decimal d => -d,
        _ => throw source.Error(offset, $"cannot negate {Values.TypeName(value)}"),
    };

    private object? Binary(BinaryNode node)
    {
        switch (node.Operator)
        {
            case "and":
                return Values.IsTrue(Evaluate(node.Left)) && Values.IsTrue(Evaluate(node.Right));
            case "or":
                return Values.IsTrue(Evaluate(node.Left)) || Values.IsTrue(Evaluate(node.Right));
            case "??":
                return Evaluate(node.Left) ?? Evaluate(node.Right);
        }

        var left = Evaluate(node.Left);
        var right = Evaluate(node.Right);
        switch (node.Operator)
        {
            case "==":
                return Values.AreEqual(left, right);
            case "!=":
                return !Values.AreEqual(left, right);
            case "in":
                return Guard(node, () => Functions.Contains(right, left));
            case "<" or "<=" or ">" or ">=":
                if (left is null || right is null)
                {
                    return false;
                }

                if (!Values.TryCompare(left, right, out var order))
                {
                    throw source.Error(node.Offset, $"cannot compare {Values.TypeName(left)} with {Values.TypeName(right)}" + Hint(left, right));
                }

                return node.Operator switch { "<" => order < 0, "<=" => order <= 0, ">" => order > 0, _ => order >= 0 };
        }

        if (node.Operator == "+" && (left is string || right is string))
        {
            return Bounded(Values.ToText(left) + Values.ToText(right), node.Offset);
        }

        if (left is null || right is null)
        {
            return null;
        }

        if (left is not decimal a || right is not decimal b)
        {
            throw source.Error(node.Offset, $"'{node.Operator}' needs two numbers, got {Values.TypeName(left)} and {Values.TypeName(right)}" + Hint(left, right));
        }

        if (node.Operator == "/" && b == 0)
        {
            throw source.Error(node.Offset, "division by zero (guard it with an 'if' or a condition)");
        }

        try
        {
            return node.Operator switch { "+" => a + b, "-" => a - b, "*" => a * b, _ => a / b };
        }
        catch (OverflowException)
        {
            throw source.Error(node.Offset, "the result is too large for a number");
        }
    }

    private static string Hint(object left, object right) =>
        left is string && right is decimal || left is decimal && right is string ? " (convert text with | number)" : "";

    private object? Call(CallNode node)
    {
        var kind = node.IsFilter ? "filter" : "function";
        var function = Functions.Find(node.Name);
        if (function is null)
        {
            var suggestion = Functions.Suggest(node.Name);
            throw source.Error(node.Offset, $"unknown {kind} '{node.Name}'" + (suggestion is null ? "" : $" (did you mean '{suggestion}'?)"));
        }

        CheckArity(source, node, function);
        var arguments = node.Arguments.Select(Evaluate).ToList();
        return Guard(node, () => function.Run(new FunctionCall(arguments, clock, limits.MaxOutputLength)));
    }

    /// <summary>Fails when a call gives a function too few or too many arguments (a filter's input counts as one).</summary>
    public static void CheckArity(SourceText source, CallNode node, Function function)
    {
        var count = node.Arguments.Count;
        if (count >= function.MinArguments && count <= function.MaxArguments)
        {
            return;
        }

        var written = node.IsFilter ? count - 1 : count;
        var expected = node.IsFilter
            ? (function.MinArguments - 1, function.MaxArguments - 1)
            : (function.MinArguments, function.MaxArguments);
        if (node.IsFilter && function.MinArguments == 0)
        {
            throw source.Error(node.Offset, $"'{node.Name}' takes no input: call it as {function.Usage}");
        }

        var range = expected.Item1 == expected.Item2
            ? expected.Item1.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{expected.Item1} to {expected.Item2}");
        throw source.Error(node.Offset, string.Create(CultureInfo.InvariantCulture, $"'{node.Name}' takes {range} argument(s), got {written}: use it as {function.Usage}"));
    }

    private object? Guard(Node node, Func<object?> run)
    {
        try
        {
            return Bounded(run(), node.Offset);
        }
        catch (FunctionProblem problem)
        {
            throw source.Error(node.Offset, (node is CallNode call ? call.Name + ": " : "") + problem.Message);
        }
        catch (OverflowException)
        {
            throw source.Error(node.Offset, "the result is too large for a number");
        }
        catch (ArgumentOutOfRangeException)
        {
            throw source.Error(node.Offset, "the result is out of range (a date too far away?)");
        }
    }

    /// <summary>Stops text and lists from growing past the output limit.</summary>
    public object? Bounded(object? value, int offset)
    {
        var size = value switch { string s => s.Length, IReadOnlyList<object?> list => list.Count, _ => 0 };
        return size > limits.MaxOutputLength
            ? throw source.Error(offset, string.Create(CultureInfo.InvariantCulture, $"the result is longer than {limits.MaxOutputLength} characters"))
            : value;
    }
}
