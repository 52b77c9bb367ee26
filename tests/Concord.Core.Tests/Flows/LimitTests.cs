using Concord.Core.Flows.Expressions;
using static Concord.Core.Tests.Flows.ExpressionRig;

namespace Concord.Core.Tests.Flows;

/// <summary>The bounds that keep a bad configuration from hurting the hub.</summary>
public sealed class LimitTests
{
    [Fact]
    public void Text_longer_than_the_limit_is_refused()
    {
        var limits = new ExpressionLimits { MaxTextLength = 20 };

        var error = Assert.Single(Template.Validate("{{ 'a' }}" + new string(' ', 20), limits));
        Assert.Equal("the template is longer than 20 characters", error.Message);
        Assert.Equal(21, error.Column);
        Assert.Throws<ExpressionException>(() => Expression.Parse(new string('1', 21), limits));
        Assert.Equal(1m, Expression.Parse("1", limits).Evaluate(Context(), Clock));
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused_before_the_stack_is()
    {
        Assert.Equal(1m, Eval(new string('(', 30) + "1" + new string(')', 30)));

        var deep = Fails(new string('(', 40) + "1" + new string(')', 40));
        Assert.Equal("expression nests deeper than 32 levels", deep.Message);
        Assert.Equal(33, deep.Column);

        Assert.Equal("expression nests deeper than 32 levels", Fails(string.Concat(Enumerable.Repeat("not ", 40)) + "true").Message);
        Assert.Equal("expression nests deeper than 32 levels", Fails(string.Concat(Enumerable.Repeat("-", 40)) + "1").Message);
        Assert.Equal("expression nests deeper than 32 levels", Fails(string.Concat(Enumerable.Repeat("abs(", 40)) + "1" + new string(')', 40)).Message);
        Assert.Equal("expression nests deeper than 32 levels", Fails(new string('[', 40) + new string(']', 40)).Message);
        var huge = Assert.Throws<ExpressionException>(() => Expression.Parse(new string('(', 100_000), new ExpressionLimits { MaxTextLength = 200_000 }));
        Assert.Contains("nests deeper", huge.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_longer_than_the_limit_is_refused()
    {
        var limits = new ExpressionLimits { MaxOutputLength = 100 };
        var doubling = string.Concat(Enumerable.Repeat("| replace('a', 'aa') ", 8));

        var error = Assert.Throws<ExpressionException>(() => Expression.Parse("'a' " + doubling, limits).Evaluate(Context(), Clock)).Error;

        Assert.Equal("the result is longer than 100 characters", error.Message);
        Assert.Equal(new string('a', 64), Expression.Parse("'a' " + string.Concat(Enumerable.Repeat("| replace('a', 'aa') ", 6)), limits).Evaluate(Context(), Clock));
        Assert.Throws<ExpressionException>(() => Template.Parse("{{ customer.name }}{{ customer.name }}", limits with { MaxOutputLength = 20 }).Evaluate(Context(), Clock));
        Assert.Throws<ExpressionException>(() => Expression.Parse("'" + new string('x', 60) + "' + '" + new string('y', 60) + "'", limits).Evaluate(Context(), Clock));
        Assert.Throws<ExpressionException>(() => Expression.Parse("'" + new string(',', 150) + "' | split(',')", limits with { MaxOutputLength = 100 }).Evaluate(Context(), Clock));
    }

    [Fact]
    public void Adversarial_input_is_handled_in_linear_time()
    {
        var text = new string('a', 9_000) + "!";
        var started = System.Diagnostics.Stopwatch.StartNew();

        Assert.Single(Template.Validate("{{ '" + text + "' | replace('aa', 'b') | contains('ab') }} {{ x |"));
        Assert.Single(Template.Validate(string.Concat(Enumerable.Repeat("{{", 4_000))));

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2), started.Elapsed.ToString());
    }
}
