using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Flows.Model;
using Concord.Engine.Flows;
using Concord.Engine.Flows.Steps;

namespace Concord.Engine.Tests.Flows.Steps;

public sealed class LookupStepHandlerTests
{
    private readonly LookupStepHandler _handler;

    public LookupStepHandlerTests()
    {
        var settings = new FlowSettings();
        var rows = new Dictionary<string, JsonNode?>(StringComparer.Ordinal)
        {
            ["NL"] = 21,
            ["BE"] = 21,
            ["DE"] = 19,
            ["nl"] = 9,
            ["eu"] = new JsonObject { ["region"] = "EU", ["reverse_charge"] = true },
        };
        settings.Lookups["vat_rates"] = new LookupTable("vat_rates", rows, SourceSpan.None);
        _handler = new LookupStepHandler(settings);
    }

    private async Task<JsonObject> LookAsync(string args) => Steps.Output(await _handler.RunAsync(Steps.Run(StepAction.Lookup, args), default));

    [Fact]
    public async Task AnExactKey_WinsOverOneThatDiffersOnlyInCase()
    {
        var nl = await LookAsync("""{ "table": "vat_rates", "key": "NL" }""");
        var lower = await LookAsync("""{ "table": "vat_rates", "key": "nl" }""");

        Assert.Equal(21, (int)nl["value"]!);
        Assert.True((bool)nl["found"]!);
        Assert.Equal(9, (int)lower["value"]!);
    }

    [Fact]
    public async Task OtherwiseTheKeyMatchesIgnoringCase_AndObjectsComeBackWhole()
    {
        var de = await LookAsync("""{ "table": "vat_rates", "key": "de" }""");
        var eu = await LookAsync("""{ "table": "vat_rates", "key": "EU" }""");

        Assert.Equal(19, (int)de["value"]!);
        Assert.Equal("""{"region":"EU","reverse_charge":true}""", eu["value"]!.ToJsonString());
    }

    [Fact]
    public async Task AMissingKey_IsAnAnswer_WithTheDefaultOrNull()
    {
        var withDefault = await LookAsync("""{ "table": "vat_rates", "key": "FR", "default": 20 }""");
        var without = await LookAsync("""{ "table": "vat_rates", "key": "FR" }""");
        var nullKey = await LookAsync("""{ "table": "vat_rates", "key": null, "default": 0 }""");

        Assert.Equal("""{"value":20,"found":false}""", withDefault.ToJsonString());
        Assert.Equal("""{"value":null,"found":false}""", without.ToJsonString());
        Assert.Equal("""{"value":0,"found":false}""", nullKey.ToJsonString());
    }

    [Fact]
    public async Task InlineRows_AreLookedUpTheSameWay_AndNumbersAreKeysToo()
    {
        var plan = await LookAsync("""{ "rows": { "price_basic": "Basic", "PRICE_PRO": "Pro" }, "key": "price_pro" }""");
        var numbered = await LookAsync("""{ "rows": { "1": "one", "2": "two" }, "key": 2 }""");

        Assert.Equal("Pro", (string?)plan["value"]);
        Assert.Equal("two", (string?)numbered["value"]);
    }

    [Theory]
    [InlineData("""{ "table": "vat", "key": "NL" }""", "table names 'vat', which is not under lookups: (tables: vat_rates)")]
    [InlineData("""{ "key": "NL" }""", "needs table")]
    [InlineData("""{ "table": "vat_rates", "rows": { "a": 1 }, "key": "a" }""", "not both")]
    [InlineData("""{ "rows": [1, 2], "key": "a" }""", "rows must be a mapping")]
    [InlineData("""{ "table": "vat_rates", "key": { "x": 1 } }""", "key must be text or a number")]
    public async Task ArgumentsThatCannotWork_FailForGood(string args, string message)
    {
        var failed = await Assert.ThrowsAsync<StepFailedException>(() => _handler.RunAsync(Steps.Run(StepAction.Lookup, args), default));

        Assert.False(failed.Retryable);
        Assert.Contains(message, failed.Message, StringComparison.Ordinal);
    }
}
