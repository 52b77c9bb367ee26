using Concord.Testing;

namespace Concord.Acceptance.Tests;

/// <summary>Every complete <c>concord.yaml</c> shown in the README and the connector pages is one the hub accepts.</summary>
public sealed class DocumentedExamplesTests
{
    public static TheoryData<string> Pages() => new()
    {
        "README.md",
        "docs/connectors/stripe.md",
        "docs/connectors/hubspot.md",
        "docs/connectors/quickbooks.md",
        "docs/connectors/slack.md",
        "docs/connectors/smtp.md",
        "docs/guardrails.md",
        "docs/survivorship.md",
        "docs/matching.md",
        "docs/reconciliation.md",
        "docs/flows.md",
        "docs/audit.md",
        "docs/map.md",
        "docs/verification.md",
        "docs/alerts.md",
        "docs/silence-and-drift.md",
        "docs/health.md",
        "docs/dashboard.md",
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public void EveryCompleteExample_Validates(string page)
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, page)).Replace("\r\n", "\n", StringComparison.Ordinal);
        var examples = new List<string>();
        for (var at = text.IndexOf("```yaml\n", StringComparison.Ordinal); at >= 0; at = text.IndexOf("```yaml\n", at + 1, StringComparison.Ordinal))
        {
            var body = text[(at + "```yaml\n".Length)..];
            var yaml = body[..body.IndexOf("```", StringComparison.Ordinal)];
            if (yaml.StartsWith("version: 1", StringComparison.Ordinal) || yaml.Contains("\nversion: 1", StringComparison.Ordinal))
            {
                examples.Add(yaml);
            }
        }

        Assert.NotEmpty(examples);
        foreach (var yaml in examples)
        {
            var config = TestConfigs.Load(yaml, name => name + "-value");
            Assert.NotEmpty(config.Syncs);
        }
    }
}
