using Concord.Testing;

namespace Concord.Cli.Tests;

public sealed class DedupeCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task ADryRunOnAnEmptyStore_PrintsTheSummaryAndSucceeds()
    {
        await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), "init");

        var (code, output) = await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), "dedupe", "--dry-run", "--type", "customer");

        Assert.Equal(0, code);
        Assert.Contains("customer: read 0 records", output, StringComparison.Ordinal);
        Assert.Contains("customer: 0 records, 0 candidate pairs, 0 would-merge, 0 would-review", output, StringComparison.Ordinal);
        Assert.Contains("dry run: nothing changed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownType_IsRefused()
    {
        await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), "init");

        var (code, _) = await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), "dedupe", "--type", "spaceship");

        Assert.Equal(1, code);
    }

    public void Dispose() => _dir.Dispose();
}
