using Concord.Core.Flows.Expressions;
using Concord.Core.Flows.Model;
using YamlDotNet.RepresentationModel;

namespace Concord.Core.Configuration;

/// <summary>
/// Compiles the conditions and templates of a flow while it is read, so a mistake in one is reported by
/// <c>concord validate</c> at the character it was typed, never first seen when a run reaches it.
/// </summary>
internal sealed class FlowExpressionReader(YamlNav nav, ScalarPositions positions)
{
    private const string Hint = "see the expression reference in docs/flows.md";

    /// <summary>A condition (<c>when:</c>, <c>if:</c>, <c>loop.until</c>), or null when it is missing or does not compile.</summary>
    public FlowCondition? Condition(YamlNode node, string where, string what)
    {
        if (nav.Scalar(node, what) is not { } text)
        {
            return null;
        }

        if (text.Trim().Length == 0)
        {
            nav.Error(node, "bad-expression", $"{where}: {what} is empty", "write a condition such as payment.status == 'succeeded'");
            return null;
        }

        try
        {
            return new FlowCondition(text, Expression.Parse(text), nav.At(node));
        }
        catch (ExpressionException problem)
        {
            Report((YamlScalarNode)node, problem.Error, where, what);
            return null;
        }
    }

    /// <summary>Reports every broken <c>{{ … }}</c> of a template argument; true when it compiles.</summary>
    public bool Template(YamlScalarNode node, string where, string argument)
    {
        var problems = Flows.Expressions.Template.Validate(node.Value ?? "");
        foreach (var problem in problems)
        {
            Report(node, problem, where, argument);
        }

        return problems.Count == 0;
    }

    private void Report(YamlScalarNode node, ExpressionError error, string where, string what)
    {
        var (line, column) = positions.Locate(node, error.Line, error.Column);
        nav.Error(new SourceSpan(nav.File, line, column), "bad-expression", $"{where}: {error.Message}", $"in {what}; {Hint}");
    }
}
