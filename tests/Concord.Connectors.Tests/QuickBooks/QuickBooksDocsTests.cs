using System.Text.RegularExpressions;
using Concord.Testing;

namespace Concord.Connectors.Tests.QuickBooks;

public sealed class QuickBooksDocsTests
{
    [Fact]
    public void TheDocumentedExample_IsAValidConfiguration()
    {
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "connectors", "quickbooks.md"));
        var yaml = Regex.Match(doc, "```yaml\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;
        var config = TestConfigs.Load(yaml, _ => "set");
        Assert.Equal("quickbooks", config.Systems["quickbooks"].Kind);
    }
}
