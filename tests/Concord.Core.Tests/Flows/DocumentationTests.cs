using System.Text.Json.Nodes;
using Concord.Core.Flows.Expressions;

namespace Concord.Core.Tests.Flows;

/// <summary>The function reference in docs/flows.md shows what the functions really return.</summary>
public sealed class DocumentationTests
{
    [Fact]
    public void Every_example_in_the_function_tables_gives_the_result_shown()
    {
        var docs = File.ReadAllText(Path.Combine(FunctionTests.RepoRoot(), "docs", "flows.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var dataStart = docs.IndexOf("```json\n", StringComparison.Ordinal) + "```json\n".Length;
        var data = JsonNode.Parse(docs[dataStart..docs.IndexOf("```", dataStart, StringComparison.Ordinal)])!.AsObject();
        var reference = docs[docs.IndexOf("### Functions and filters", StringComparison.Ordinal)..docs.IndexOf("### Errors", StringComparison.Ordinal)];

        var checkedExamples = 0;
        foreach (var row in reference.Split('\n').Where(line => line.StartsWith("| ", StringComparison.Ordinal) && !line.StartsWith("| Function", StringComparison.Ordinal)))
        {
            var cells = row.Replace("\\|", "\u0001", StringComparison.Ordinal).Split('|').Select(cell => cell.Replace("\u0001", "|", StringComparison.Ordinal).Trim()).ToArray();
            if (cells.Length < 4 || !cells[2].StartsWith('`'))
            {
                continue;
            }

            var example = cells[2].Trim('`');
            var expected = cells[3][(cells[3].IndexOf('`', StringComparison.Ordinal) + 1)..];
            expected = expected[..expected.IndexOf('`', StringComparison.Ordinal)];

            var actual = Values.ToText(Expression.Parse(example).Evaluate(data, ExpressionRig.Clock));

            Assert.True(expected == actual, $"{example}: the docs say {expected}, it gives {actual}");
            checkedExamples++;
        }

        Assert.True(checkedExamples >= 35, checkedExamples.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
