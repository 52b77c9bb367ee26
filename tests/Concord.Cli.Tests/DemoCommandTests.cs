using Concord.Testing;

namespace Concord.Cli.Tests;

/// <summary>The Quick start's first command: the demo tells its story and checks every claim.</summary>
public sealed class DemoCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task TheDemo_PlaysItsStory_WithEveryCheckPassing()
    {
        var port = HubHarness.FreePort();
        var (code, output) = await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(120), "demo", "--exit", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(code == 0, output);
        Assert.DoesNotContain("✗", output, StringComparison.Ordinal);
        Assert.Equal(22, output.Split('\n').Count(l => l.TrimStart().StartsWith('✓')));
        Assert.Contains($"hub         http://127.0.0.1:{port}", output, StringComparison.Ordinal);
        Assert.Contains("QuickBooks came back and caught up by itself", output, StringComparison.Ordinal);
        Assert.Matches(@"HubSpot refused [1-9]\d* call\(s\) with 429", output);
        Assert.Matches(@"run run_[0-9a-f]{32} succeeded: Stripe holds draft invoice in_\w+ for Carol \(cus_\w+\), USD 750\.00", output);
        Assert.Matches(@"API key \(demo\): ck_[A-Za-z0-9_-]{40,}", output);
        Assert.Matches($@"Dashboard: http://127\.0\.0\.1:{port}/dashboard   sign in as demo with password [A-Za-z0-9_-]{{20}}\n", output);
    }

    public void Dispose() => _dir.Dispose();
}
