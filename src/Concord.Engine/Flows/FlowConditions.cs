using Concord.Core.Flows.Expressions;
using Concord.Core.Flows.Model;

namespace Concord.Engine.Flows;

/// <summary>Evaluates the conditions of a flow (its <c>when</c>, its loop's <c>until</c>) and of its steps (<c>when</c>, <c>if</c>).</summary>
public static class FlowConditions
{
    /// <summary>Whether <paramref name="condition"/> holds over <paramref name="data"/>; a problem names <paramref name="where"/>.</summary>
    /// <exception cref="ExpressionException">The condition cannot be evaluated over the data.</exception>
    public static bool Holds(FlowCondition condition, IReadOnlyDictionary<string, object?> data, TimeProvider time, string where)
    {
        try
        {
            return Values.IsTrue(condition.Expression.Evaluate(data, time));
        }
        catch (ExpressionException problem)
        {
            throw problem.At(where);
        }
    }
}
