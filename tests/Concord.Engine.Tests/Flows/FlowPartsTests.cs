using System.Text.Json.Nodes;
using Concord.Core.Flows.Expressions;
using Concord.Core.Flows.Model;
using Concord.Engine.Flows;
using Concord.Engine.Storage;
using Concord.Testing;
using static Concord.Engine.Tests.Flows.FlowBuilder;

namespace Concord.Engine.Tests.Flows;

/// <summary>Argument rendering and the masking of run history.</summary>
public sealed class FlowPartsTests
{
    private static readonly IReadOnlyDictionary<string, object?> Data = (IReadOnlyDictionary<string, object?>)Values.FromJson(JsonNode.Parse("""
        { "payment": { "amount": 1234.5, "currency": "eur", "tags": ["vip"] }, "customer": { "email": "ann@example.com", "name": "Ann" } }
        """))!;

    [Fact]
    public void ArgumentsRenderAtAnyDepth_ASingleExpressionKeepingItsType()
    {
        var flow = Flow("f", Manual);
        var step = Step("s", StepAction.Http, """
            { "url": "https://x.test/{{ customer.email }}", "body": { "amount": "{{ payment.amount }}", "tags": "{{ payment.tags }}",
              "text": "Paid {{ payment.amount | money(payment.currency) }}", "fixed": 3, "flag": true, "list": ["{{ customer.name }}", "x"] } }
            """);

        var args = new ArgumentRenderer(new ManualTimeProvider()).Render(flow, step, Data);

        Assert.Equal("https://x.test/ann@example.com", (string?)args["url"]);
        Assert.Equal(1234.5m, (decimal)args["body"]!["amount"]!);
        Assert.Equal("""["vip"]""", args["body"]!["tags"]!.ToJsonString());
        Assert.Equal("Paid 1,234.50 EUR", (string?)args["body"]!["text"]);
        Assert.Equal(3, (int)args["body"]!["fixed"]!);
        Assert.True((bool)args["body"]!["flag"]!);
        Assert.Equal("""["Ann","x"]""", args["body"]!["list"]!.ToJsonString());
    }

    [Fact]
    public void AnArgumentThatCannotBeRendered_NamesFlowStepAndArgument()
    {
        var step = Step("notify_finance", StepAction.Notify, """{ "where": { "email": "{{ customer.email | mony }}" } }""");

        var problem = Assert.Throws<ExpressionException>(() => new ArgumentRenderer(TimeProvider.System).Render(Flow("payment_to_books", Manual), step, Data));

        Assert.StartsWith("flow 'payment_to_books', step 'notify_finance', argument 'where.email', column", problem.Message);
        Assert.Contains("mony", problem.Message);
    }

    [Fact]
    public void HistoryMasksPiiFieldsByName_AtAnyDepth()
    {
        var config = TestConfigs.Load(FlowRig.Yaml("http://127.0.0.1:1"), _ => "x");
        var mask = new FlowHistoryMask(config);
        var run = new FlowRun
        {
            Id = "run_1", Flow = "f", TriggerKind = "record",
            Input = """{"customer":{"email":"ann@example.com","name":"Ann Lee","country":"NL"},"before":{"phone":"+31 6 1234 5678"},"lines":[{"customer_email":"bob@example.com"}]}""",
        };

        var masked = JsonNode.Parse(mask.Mask(run).Input)!;

        Assert.Equal("a***@example.com", (string?)masked["customer"]!["email"]);
        Assert.Equal("A*** L***", (string?)masked["customer"]!["name"]);
        Assert.Equal("NL", (string?)masked["customer"]!["country"]);
        Assert.Equal("***5678", (string?)masked["before"]!["phone"]);
        Assert.Equal("b***@example.com", (string?)masked["lines"]![0]!["customer_email"]);
        Assert.Equal("not json", mask.Mask("not json"));
        var step = mask.Mask(new FlowStepState { RunId = "run_1", StepId = "s", IdempotencyKey = "k", Output = """{"email":"ann@example.com","id":"rec_1"}""" });
        Assert.Equal("""{"email":"a***@example.com","id":"rec_1"}""", step.Output);
    }
}
