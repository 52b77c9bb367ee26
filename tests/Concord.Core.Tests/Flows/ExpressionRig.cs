using System.Text.Json.Nodes;
using Concord.Core.Flows.Expressions;

namespace Concord.Core.Tests.Flows;

/// <summary>A fixed clock and a context shaped like a flow's: a trigger record, a payment, a customer and earlier steps.</summary>
internal static class ExpressionRig
{
    public static readonly DateTimeOffset Now = new(2026, 3, 15, 9, 30, 0, TimeSpan.Zero);

    public static TimeProvider Clock { get; } = new FixedClock(Now);

    public static JsonObject Context() => JsonNode.Parse("""
        {
          "payment": { "amount": 1234.5, "currency": "eur", "paid_on": "2026-03-01", "refunded": null },
          "customer": { "email": "Jane.Doe@Example.COM", "name": "  jane DOE  ", "tags": ["vip", "eu"], "country": "NL" },
          "trigger": { "record": { "fields": { "name": "Acme BV", "count": "42" } } },
          "steps": { "find_contact": { "id": "c_17" } },
          "lines": [ { "sku": "A-1", "qty": 2, "price": 9.99 }, { "sku": "B-2", "qty": 1, "price": 100 } ],
          "numbers": [3, 1, 2],
          "empty": "",
          "zero": 0
        }
        """)!.AsObject();

    /// <summary>The value of an expression (no braces) over the standard context.</summary>
    public static object? Eval(string expression) => Expression.Parse(expression).Evaluate(Context(), Clock);

    /// <summary>The value of a template over the standard context.</summary>
    public static object? Render(string template) => Template.Parse(template).Evaluate(Context(), Clock);

    /// <summary>The error evaluating (or parsing) an expression raises.</summary>
    public static ExpressionError Fails(string expression) =>
        Assert.Throws<ExpressionException>(() => Eval(expression)).Error;

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
