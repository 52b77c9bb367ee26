using Concord.Engine.Storage;
using Concord.Server.Auth;
using Concord.Storage.Sqlite;
using Concord.Testing;

namespace Concord.Cli.Tests;

public sealed class UsersCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task AUserIsAdded_WithAGeneratedPasswordShownOnce_OrOneFromStdin_AndSignsInWithIt()
    {
        await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), "init");
        var (added, addedOutput) = await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), "users", "add", "ann", "--role", "operator");
        Assert.True(added == 0, addedOutput);
        Assert.StartsWith("Added ann (operator).", addedOutput, StringComparison.Ordinal);
        var generated = addedOutput.Split('\n')[2].Trim();
        Assert.Equal(20, generated.Length);

        var none = new Dictionary<string, string>();
        var (piped, pipedOutput) = await CliRunner.RunWithInputAsync(_dir.Path, TimeSpan.FromSeconds(60), none, "a long enough passphrase\n", "users", "add", "bob", "--role", "viewer", "--password-stdin");
        Assert.True(piped == 0, pipedOutput);
        Assert.DoesNotContain("Password", pipedOutput, StringComparison.Ordinal);

        var (taken, takenOutput) = await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), "users", "add", "ANN", "--role", "admin");
        Assert.Equal(1, taken);
        Assert.Contains("exists already", takenOutput, StringComparison.Ordinal);
        var (badRole, badRoleOutput) = await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), "users", "add", "carol", "--role", "root");
        Assert.Equal(1, badRole);
        Assert.Contains("--role must be viewer, operator or admin", badRoleOutput, StringComparison.Ordinal);

        var (_, listed) = await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), "users", "list");
        Assert.Matches(@"ann\s+operator", listed);
        Assert.Matches(@"bob\s+viewer", listed);
        Assert.DoesNotContain(generated, listed, StringComparison.Ordinal);

        await using var store = new SqliteHubStore(Path.Combine(_dir.Path, "concord.db"));
        await store.InitializeAsync(default);
        var users = new DashboardUsers(store, TimeProvider.System);
        Assert.Equal(UserRole.Operator, (await users.VerifyAsync("ann", generated, default))?.Role);
        Assert.NotNull(await users.VerifyAsync("bob", "a long enough passphrase", default));
        Assert.Null(await users.VerifyAsync("bob", "a long enough passphrasE", default));
        Assert.DoesNotContain("a long enough passphrase", (await store.FindUserAsync("bob", default))!.PasswordHash, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
