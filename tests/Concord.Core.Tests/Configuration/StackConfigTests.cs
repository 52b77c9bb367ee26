using Concord.Core.Configuration;

namespace Concord.Core.Tests.Configuration;

public class StackConfigTests
{
    private static string Located(ConfigProblem p) => $"{p.Code}@{p.At.Line}:{p.At.Column}";

    [Fact]
    public void Layer_and_cost_are_read_and_the_layer_defaults_from_the_kind()
    {
        var result = ConfigLoader.Load("""
            version: 1
            systems:
              crm:
                kind: hubspot
                cost: { monthly: 49.50, currency: EUR }
              billing:
                kind: stripe
              board:
                kind: http
                layer: delivery
              hook:
                kind: webhook
            tools:
              notion:
                layer: storage
                url: https://notion.so
                cost: { monthly: 8, currency: USD }
            """);

        Assert.Empty(result.Problems);
        var c = result.Config;
        Assert.Equal(StackLayer.Customers, c.Systems["crm"].EffectiveLayer);
        Assert.Null(c.Systems["crm"].Layer);
        Assert.Equal(49.50m, c.Systems["crm"].Cost!.Monthly);
        Assert.Equal("EUR", c.Systems["crm"].Cost!.Currency);
        Assert.Equal(StackLayer.Money, c.Systems["billing"].EffectiveLayer);
        Assert.Equal(StackLayer.Delivery, c.Systems["board"].EffectiveLayer);
        Assert.Equal(StackLayer.None, c.Systems["hook"].EffectiveLayer);
        var notion = c.Tools["notion"];
        Assert.Equal(StackLayer.Storage, notion.Layer);
        Assert.Equal("https://notion.so", notion.Url);
        Assert.Equal(8m, notion.Cost!.Monthly);
    }

    [Fact]
    public void Bad_layer_cost_and_tool_entries_are_located_errors_with_hints()
    {
        var result = ConfigLoader.Load("""
            version: 1
            systems:
              crm:
                kind: hubspot
                layer: sales
                cost: { monthly: -3, currency: EUR }
              pay:
                kind: stripe
                cost: { monthly: 10, currency: euro }
              books:
                kind: quickbooks
                cost: { monthly: 10 }
            tools:
              asana:
                url: ftp://asana
              crm:
                layer: customers
            """);

        Assert.Equal(
            ["bad-layer@5:12", "bad-cost@6:22", "bad-currency@9:36", "bad-cost@12:11", "missing-layer@14:3", "bad-url@15:10", "duplicate-tool@16:3"],
            result.Problems.Select(Located));
        Assert.All(result.Problems, p => Assert.False(string.IsNullOrEmpty(p.Hint)));
        Assert.Contains("customers, money, delivery, communication, storage, insight", result.Problems[0].Message, StringComparison.Ordinal);
    }
}
