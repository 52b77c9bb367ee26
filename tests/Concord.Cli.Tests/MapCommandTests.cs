using System.Xml.Linq;
using Concord.Testing;

namespace Concord.Cli.Tests;

/// <summary><c>concord map</c>: offline from the configuration, and <c>--live</c> from a running hub.</summary>
public sealed class MapCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_sample_stack_is_drawn_offline_as_svg_and_mermaid()
    {
        File.Copy(Path.Combine(RepoPaths.Root, "docs", "examples", "stack-15.yaml"), _dir.File("concord.yaml"));

        var (code, output) = await CliRunner.RunAsync(_dir.Path, Timeout, "map", "--out", "stack.svg", "--mermaid", "stack.mmd");

        Assert.True(code == 0, output);
        Assert.Contains("Wrote stack.svg: 15 systems and 2 tools, 9 types, 41 connections, 2 flows.", output, StringComparison.Ordinal);
        var svg = XDocument.Parse(await File.ReadAllTextAsync(_dir.File("stack.svg")));
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(41, svg.Descendants(ns + "path").Count(p => p.Attribute("data-system") is not null));
        var texts = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains("Integration map · concord.yaml", texts);
        Assert.DoesNotContain(texts, t => t.Contains("verified", StringComparison.Ordinal) && t.Contains("24 h:", StringComparison.Ordinal));
        Assert.StartsWith("flowchart LR\n", await File.ReadAllTextAsync(_dir.File("stack.mmd")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configuration_with_errors_draws_nothing()
    {
        await File.WriteAllTextAsync(_dir.File("concord.yaml"), "version: 1\nsystems:\n  crm:\n    kind: nosuchkind\n");

        var (code, output) = await CliRunner.RunAsync(_dir.Path, Timeout, "map");

        Assert.Equal(1, code);
        Assert.Contains("concord.yaml:4:", output, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("map.svg")));
    }

    [Fact]
    public async Task Live_fetches_the_running_hubs_map_with_the_api_key()
    {
        await using var sink = await RecordingSink.StartAsync();
        await using var hub = await HubHarness.StartAsync(TestConfigs.TwoSystems(sink.Url + "/crm", sink.Url + "/sink"));
        var (_, key) = await hub.Hub.ApiKeys.CreateAsync("map", default);

        var (missing, missingOutput) = await CliRunner.RunAsync(_dir.Path, Timeout, new Dictionary<string, string> { ["CONCORD_API_KEY"] = "" }, "map", "--live", hub.Url);
        Assert.Equal(2, missing);
        Assert.Contains("--live needs an API key", missingOutput, StringComparison.Ordinal);

        var (wrong, wrongOutput) = await CliRunner.RunAsync(_dir.Path, Timeout, "map", "--live", hub.Url, "--api-key", "ck_wrong");
        Assert.Equal(1, wrong);
        Assert.Contains("answered 401", wrongOutput, StringComparison.Ordinal);

        var (code, output) = await CliRunner.RunAsync(_dir.Path, Timeout, new Dictionary<string, string> { ["CONCORD_API_KEY"] = key },
            "map", "--live", hub.Url + "/", "--out", "live.svg", "--mermaid", "live.mmd");
        Assert.True(code == 0, output);
        var svg = await File.ReadAllTextAsync(_dir.File("live.svg"));
        Assert.Contains("Live at ", svg, StringComparison.Ordinal);
        Assert.Contains("system system-healthy", svg, StringComparison.Ordinal);
        Assert.Contains("✓ healthy", svg, StringComparison.Ordinal);
        Assert.StartsWith("flowchart LR\n", await File.ReadAllTextAsync(_dir.File("live.mmd")), StringComparison.Ordinal);
    }
}
