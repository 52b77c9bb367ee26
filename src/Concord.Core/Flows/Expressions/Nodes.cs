namespace Concord.Core.Flows.Expressions;

/// <summary>A parsed expression: a tree of these, each knowing the offset it starts at for error positions.</summary>
internal abstract record Node(int Offset);

/// <summary>A number, text, <c>true</c>, <c>false</c> or <c>null</c> written in the expression.</summary>
internal sealed record LiteralNode(object? Value, int Offset) : Node(Offset);

/// <summary>A list written in the expression: <c>['paid', 'open']</c>.</summary>
internal sealed record ListNode(IReadOnlyList<Node> Items, int Offset) : Node(Offset);

/// <summary>One step of a path after its root: a field name or a list index.</summary>
internal readonly record struct PathStep(string? Name, int Index);

/// <summary>A value read from the context: <c>payment.amount</c>, <c>lines[0].sku</c>.</summary>
internal sealed record PathNode(string Root, IReadOnlyList<PathStep> Steps, int Offset) : Node(Offset)
{
    /// <summary>The path as written canonically: dots between names, brackets around indexes.</summary>
    public string Text => Root + string.Concat(Steps.Select(step => step.Name is null
        ? "[" + step.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]"
        : "." + step.Name));
}

/// <summary><c>-x</c> or <c>not x</c>.</summary>
internal sealed record UnaryNode(string Operator, Node Operand, int Offset) : Node(Offset);

/// <summary>Two operands and an operator: arithmetic, comparison, <c>in</c>, <c>and</c>, <c>or</c>, <c>??</c>.</summary>
internal sealed record BinaryNode(string Operator, Node Left, Node Right, int Offset) : Node(Offset);

/// <summary>A function call <c>name(args)</c>, or a filter <c>value | name(args)</c> whose input is the first argument.</summary>
internal sealed record CallNode(string Name, IReadOnlyList<Node> Arguments, bool IsFilter, int Offset) : Node(Offset);
