using System.Text.Json.Nodes;

namespace Concord.Core.Configuration;

/// <summary>How a filter condition compares a field.</summary>
public enum FilterOperator
{
    /// <summary>The field equals one of the values (one value: plain equality).</summary>
    In,

    /// <summary>The field equals none of the values.</summary>
    NotIn,

    /// <summary>The field has a non-empty value (<c>exists: true</c>) or has none (<c>exists: false</c>).</summary>
    Exists,
}

/// <summary>One condition of a sync filter, e.g. <c>status: [active, trialing]</c> or <c>country: { not: [US] }</c>.</summary>
public sealed record FilterCondition(string Field, FilterOperator Operator, IReadOnlyList<string> Values, bool MustExist, SourceSpan At)
{
    /// <summary>Whether a record with these field values satisfies the condition.</summary>
    public bool Matches(Func<string, JsonNode?> valueOf)
    {
        var node = valueOf(Field);
        var text = node is JsonValue v ? v.ToString() : node?.ToJsonString();
        var present = !string.IsNullOrEmpty(text);
        return Operator switch
        {
            FilterOperator.Exists => present == MustExist,
            FilterOperator.In => present && Values.Contains(text!, StringComparer.OrdinalIgnoreCase),
            FilterOperator.NotIn => !present || !Values.Contains(text!, StringComparer.OrdinalIgnoreCase),
            _ => false,
        };
    }
}
