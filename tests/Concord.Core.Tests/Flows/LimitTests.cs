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
        Assert.Equal(20m, Eval("1" + string.Concat(Enumerable.Repeat(" + 1", 19))));
        Assert.Equal("expression nests deeper than 32 levels", Fails("1" + string.Concat(Enumerable.Repeat(" + 1", 40))).Message);
        Assert.Equal("expression nests deeper than 32 levels", Fails("x" + string.Concat(Enumerable.Repeat(" | trim", 40))).Message);
        Assert.Equal("expression nests deeper than 32 levels", Fails("a" + string.Concat(Enumerable.Repeat(" and a", 1_500))).Message);
        var huge = Assert.Throws<ExpressionException>(() => Expression.Parse(new string('(', 100_000), new ExpressionLimits { MaxTextLength = 200_000 }));
        Assert.Contains("nests deeper", huge.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_longer_than_the_limit_is_refused()
    {
        var limits = new ExpressionLimits { MaxOutputLength = 100 };
        var doubling = string.Concat(Enumerable.Repeat("| replace('a', 'aa') ", 8));

        var error = Assert.Throws<ExpressionException>(() => Expression.Parse("'a' " + doubling, limits).Evaluate(Context(), Clock)).Error;

        Assert.Equal("replace: the result would be longer than 100 characters", error.Message);
        Assert.Equal(new string('a', 64), Expression.Parse("'a' " + string.Concat(Enumerable.Repeat("| replace('a', 'aa') ", 6)), limits).Evaluate(Context(), Clock));
        Assert.Throws<ExpressionException>(() => Template.Parse("{{ customer.name }}{{ customer.name }}", limits with { MaxOutputLength = 20 }).Evaluate(Context(), Clock));
        var concatenated = Assert.Throws<ExpressionException>(() => Expression.Parse("'" + new string('x', 60) + "' + '" + new string('y', 60) + "'", limits).Evaluate(Context(), Clock)).Error;
        Assert.Equal(("the result is longer than 100 characters", 64), (concatenated.Message, concatenated.Column));
        Assert.Throws<ExpressionException>(() => Expression.Parse("'" + new string(',', 150) + "' | split(',')", limits with { MaxOutputLength = 100 }).Evaluate(Context(), Clock));
    }

    [Fact]
    public void Text_that_would_outgrow_the_limit_is_refused_before_it_is_built()
    {
        var context = new Dictionary<string, object?>
        {
            ["many"] = new string('a', 50_000),
            ["items"] = Enumerable.Repeat((object?)"x", 50_000).ToList(),
        };
        var replacement = "'" + new string('b', 5_000) + "'";

        var replace = Assert.Throws<ExpressionException>(() => Expression.Parse("many | replace('a', " + replacement + ")").Evaluate(context, Clock)).Error;
        var join = Assert.Throws<ExpressionException>(() => Expression.Parse("items | join(" + replacement + ")").Evaluate(context, Clock)).Error;

        Assert.Equal("replace: the result would be longer than 100000 characters", replace.Message);
        Assert.Equal("join: the result would be longer than 100000 characters", join.Message);
        Assert.Equal(50_000, ((string)Expression.Parse("many | replace('a', 'b')").Evaluate(context, Clock)!).Length);
    }

    [Fact]
    public void Numbers_beyond_decimal_in_the_data_are_kept_as_text()
    {
        var context = System.Text.Json.Nodes.JsonNode.Parse("""{"big": 1e400, "small": 1.5e2}""")!.AsObject();

        Assert.Equal("1e400", Expression.Parse("big").Evaluate(context, Clock));
        Assert.Equal(150m, Expression.Parse("small").Evaluate(context, Clock));
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
