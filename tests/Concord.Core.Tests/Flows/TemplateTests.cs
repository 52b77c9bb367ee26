using System.Text.Json.Nodes;
using Concord.Core.Flows.Expressions;
using static Concord.Core.Tests.Flows.ExpressionRig;

namespace Concord.Core.Tests.Flows;

public sealed class TemplateTests
{
    [Fact]
    public void Text_with_expressions_renders_as_text()
    {
        Assert.Equal("Invoice for Acme BV: 1,234.50 EUR", Render("Invoice for {{ trigger.record.fields.name }}: {{ payment.amount | money(payment.currency) }}"));
        Assert.Equal("Hello Jane Doe,\nthanks!", Render("Hello {{ customer.name | trim | title }},\n{{ 'thanks!' }}"));
        Assert.Equal("no expressions", Render("no expressions"));
        Assert.Equal("a } b", Render("a } b"));
        Assert.Equal("[] {{", Render("[{{ missing }}] {{ '{{' }}"));
        Assert.Equal("x}}y", Render("{{ 'x}}y' }}"));
    }

    [Fact]
    public void A_single_expression_keeps_its_type()
    {
        Assert.Equal(1234.5m, Render("{{ payment.amount }}"));
        Assert.Equal(1234.5m, Render("  {{payment.amount}}\n"));
        Assert.Equal(true, Render("{{ payment.amount > 10 }}"));
        Assert.Null(Render("{{ missing }}"));
        Assert.Equal(new DateOnly(2026, 3, 15), Render("{{ today() }}"));
        Assert.Equal(new object?[] { "vip", "eu" }, (IReadOnlyList<object?>)Render("{{ customer.tags }}")!);
        Assert.Equal("1234.5!", Render("{{ payment.amount }}!"));
        Assert.Equal("1234.5 1234.5", Render("{{ payment.amount }} {{ payment.amount }}"));
    }

    [Fact]
    public void Typed_values_become_json_for_an_api()
    {
        var template = Template.Parse("{{ lines[1] }}");
        Assert.True(template.IsSingleExpression);
        var json = Values.ToJson(template.Evaluate(Context(), Clock))!;
        Assert.Equal("""{"sku":"B-2","qty":1,"price":100}""", json.ToJsonString());
        Assert.Equal("2026-03-15", Values.ToJson(Render("{{ today() }}"))!.GetValue<string>());
        Assert.Equal("2026-03-15T09:30:00Z", Template.Parse("{{ now() }}").Render(Context(), Clock));
    }

    [Fact]
    public void Evaluates_against_plain_dictionaries_too()
    {
        var context = new Dictionary<string, object?> { ["order"] = new Dictionary<string, object?> { ["total"] = 10m } };
        Assert.Equal(12.1m, Template.Parse("{{ order.total * 1.21 }}").Evaluate(context, Clock));
    }

    [Fact]
    public void Lists_the_paths_it_reads_without_evaluating()
    {
        var template = Template.Parse("{{ payment.amount | money(payment.currency) }} {{ customer.tags[0] }} {{ coalesce(steps.find_contact.id, payment.amount) }} {{ lines[0]['sku'] }} {{ now() }}");
        Assert.Equal(["payment.amount", "payment.currency", "customer.tags[0]", "steps.find_contact.id", "lines[0].sku"], template.Paths);
        Assert.Equal(["payment.amount", "customer.country"], Expression.Parse("payment.amount > 5 and customer.country in ['NL'] or payment.amount < 1").Paths);
    }

    [Fact]
    public void A_condition_holds_or_not()
    {
        var condition = Expression.Parse("payment.amount >= 1000 and customer.email | email_domain == 'example.com'");
        Assert.True(condition.IsTrue(Context(), Clock));
        Assert.False(Expression.Parse("payment.amount >= 1000 and customer.email | email_domain == 'example.org'").IsTrue(Context(), Clock));
        var changed = Context();
        changed["payment"]!["amount"] = 10;
        Assert.False(Expression.Parse("payment.amount >= 1000").IsTrue(changed, Clock));
        Assert.True(Expression.Parse("payment.amount >= 1000").IsTrue(Context(), Clock));
        Assert.False(Expression.Parse("nothing.here").IsTrue(new JsonObject(), Clock));
    }
}
