using System.Net;
using Concord.Testing;

namespace Concord.Cli.Tests;

public sealed class KeysCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task AKeyIsShownOnce_ListedByIdOnly_AndCanBeRevoked()
    {
        await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), "init");
        var (created, createdOutput) = await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), "keys", "create", "--name", "zapier-migration");
        Assert.Equal(0, created);
        var secret = createdOutput.Split('\n')[1].Trim();
        Assert.StartsWith("ck_", secret, StringComparison.Ordinal);
        var id = createdOutput.Split(' ')[3];

        var (_, listed) = await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), "keys", "list");
        Assert.Contains(id, listed, StringComparison.Ordinal);
        Assert.Contains("zapier-migration", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);

        var (revoked, revokedOutput) = await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), "keys", "revoke", id);
        Assert.Equal(0, revoked);
        Assert.Contains($"Revoked {id}", revokedOutput, StringComparison.Ordinal);
        var (again, _) = await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), "keys", "revoke", id);
        Assert.Equal(1, again);
    }

    public void Dispose() => _dir.Dispose();
}
