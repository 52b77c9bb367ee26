using Concord.Core.Configuration;
using Concord.Core.Tests.Configuration;

namespace Concord.Core.Tests.Flows;

/// <summary>The configuration part of docs/flows.md: every action and argument is documented, and every YAML snippet reads and checks.</summary>
public sealed class FlowDocumentationTests
{
    private static string Docs() =>
        File.ReadAllText(Path.Combine(FunctionTests.RepoRoot(), "docs", "flows.md")).Replace("\r\n", "\n", StringComparison.Ordinal);

    private static List<string> YamlBlocks(string docs)
    {
        var blocks = new List<string>();
        for (var at = docs.IndexOf("```yaml\n", StringComparison.Ordinal); at >= 0; at = docs.IndexOf("```yaml\n", at + 1, StringComparison.Ordinal))
        {
            var body = docs[(at + "```yaml\n".Length)..];
            blocks.Add(body[..body.IndexOf("```", StringComparison.Ordinal)]);
        }

        return blocks;
    }

    [Fact]
    public void Every_action_has_a_section_listing_its_arguments()
    {
        var docs = Docs();
        var steps = docs[docs.IndexOf("## Steps and actions", StringComparison.Ordinal)..docs.IndexOf("## Loops", StringComparison.Ordinal)];
        foreach (var action in StepActions.All)
        {
            var heading = steps.IndexOf($"# `{action.Key}`\n", StringComparison.Ordinal);
            Assert.True(heading >= 0, $"no section for {action.Key}");
            var section = steps[heading..];
            var next = section.IndexOf("\n#", 1, StringComparison.Ordinal);
            section = next < 0 ? section : section[..next];
            foreach (var argument in action.Arguments.Keys)
            {
                Assert.True(section.Contains($"| `{argument}` |", StringComparison.Ordinal), $"{action.Key}: argument {argument} is not in its table");
            }
        }
    }

    [Fact]
    public void Every_snippet_reads_and_checks_against_the_complete_example()
    {
        var docs = Docs();
        var blocks = YamlBlocks(docs[..docs.IndexOf("\n## Runs\n", StringComparison.Ordinal)]);
        var complete = blocks.Single(b => b.StartsWith("version: 1", StringComparison.Ordinal));
        var baseConfig = complete[..complete.IndexOf("\nlookups:", StringComparison.Ordinal)]
            .Replace("systems:\n", "systems:\n  slack: { kind: slack, settings: { webhook_url: { env: SLACK_WEBHOOK } } }\n", StringComparison.Ordinal) + "\n";
        var snippets = blocks.Where(b => b != complete).ToList();
        Assert.True(snippets.Count >= 5, snippets.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var loops = 0;
        foreach (var snippet in snippets)
        {
            var flows = snippet switch
            {
                _ when snippet.StartsWith("trigger:", StringComparison.Ordinal) => "flows:\n  example:\n" + Indent(snippet, 4) + "    steps: [ { wait: 1m } ]\n",
                _ when snippet.StartsWith("steps:", StringComparison.Ordinal) => "flows:\n  example:\n    trigger: manual\n" + Indent(snippet, 4),
                _ => "flows:\n" + snippet,
            };
            var loaded = ConfigLoader.Load(baseConfig + flows);
            Assert.True(loaded.Problems.Count == 0, snippet + "\n" + string.Join("\n", loaded.Problems));
            var problems = new ConfigValidator(new FlowChecksTests.NotifyingCatalog()).Validate(loaded.Config).Where(p => p.Severity == ProblemSeverity.Error).ToList();
            Assert.True(problems.All(p => p.Code == "flow-loop"), snippet + "\n" + string.Join("\n", problems));
            loops += problems.Count;
        }

        Assert.Equal(1, loops);
    }

    private static string Indent(string text, int spaces) =>
        string.Concat(text.Split('\n').Where(line => line.Length > 0).Select(line => new string(' ', spaces) + line + "\n"));
}
