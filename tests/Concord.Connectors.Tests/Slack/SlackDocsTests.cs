using Concord.Testing;

namespace Concord.Connectors.Tests.Slack;

/// <summary>The example in docs/connectors/slack.md is a configuration the hub accepts.</summary>
public sealed class SlackDocsTests
{
    [Fact]
    public void TheDocumentedExample_Validates()
    {
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "connectors", "slack.md"));
        var start = doc.IndexOf("```yaml\nversion: 1", StringComparison.Ordinal);
        Assert.True(start >= 0, "the example is missing");
        var body = doc[(start + "```yaml\n".Length)..];
        var yaml = body[..body.IndexOf("```", StringComparison.Ordinal)];

        var config = TestConfigs.Load(yaml, name => name + "-value");

        Assert.Equal("slack", config.Systems["sales-channel"].Kind);
        Assert.Equal("slack", config.Systems["support-alerts"].Kind);
    }
}
