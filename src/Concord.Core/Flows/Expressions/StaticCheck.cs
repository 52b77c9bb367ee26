namespace Concord.Core.Flows.Expressions;

/// <summary>What can be known about a parsed expression without evaluating it: unknown functions, wrong argument counts, the paths it reads.</summary>
internal static class StaticCheck
{
    /// <summary>Throws the first problem a parsed expression would certainly hit, whatever the context.</summary>
    public static void Check(SourceText source, Node node)
    {
        // A bare 'today' would read a (missing) field called today and quietly be null.
        var bareCall = Walk(node).OfType<PathNode>().FirstOrDefault(path => path.Steps.Count == 0 && Functions.Find(path.Root) is { MinArguments: 0 });
        if (bareCall is not null)
        {
            throw source.Error(bareCall.Offset, $"'{bareCall.Root}' is a function: write {bareCall.Root}()");
        }

        foreach (var call in Walk(node).OfType<CallNode>())
        {
            var function = Functions.Find(call.Name);
            if (function is null)
            {
                var suggestion = Functions.Suggest(call.Name);
                throw source.Error(call.Offset, $"unknown {(call.IsFilter ? "filter" : "function")} '{call.Name}'" + (suggestion is null ? "" : $" (did you mean '{suggestion}'?)"));
            }

            Evaluator.CheckArity(source, call, function);
        }
    }

    /// <summary>The paths a parsed expression reads, as written (<c>payment.amount</c>, <c>lines[0].sku</c>).</summary>
    public static IEnumerable<string> Paths(Node node) => Walk(node).OfType<PathNode>().Select(path => path.Text);

    private static IEnumerable<Node> Walk(Node node)
    {
        yield return node;
        IEnumerable<Node> children = node switch
        {
            ListNode list => list.Items,
            UnaryNode unary => [unary.Operand],
            BinaryNode binary => [binary.Left, binary.Right],
            CallNode call => call.Arguments,
            _ => [],
        };
        foreach (var descendant in children.SelectMany(Walk))
        {
            yield return descendant;
        }
    }
}
