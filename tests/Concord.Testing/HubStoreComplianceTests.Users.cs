using Concord.Engine.Storage;
using Xunit;

namespace Concord.Testing;

/// <summary>What every store must do for dashboard users: unique names without case, roles and hashes kept, survive a reopen.</summary>
public abstract partial class HubStoreComplianceTests
{
    [Fact]
    public async Task Users_AreUniqueByNameWithoutCase_AndKeepRoleAndHash_AcrossAReopen()
    {
        var store = await Open("users");
        Assert.True(await store.CreateUserAsync(new UserAccount("usr_1", "Ann", UserRole.Admin, "hash-a", Time.GetUtcNow()), default));
        Assert.False(await store.CreateUserAsync(new UserAccount("usr_2", "ann", UserRole.Viewer, "hash-b", Time.GetUtcNow()), default));
        Assert.True(await store.CreateUserAsync(new UserAccount("usr_3", "bob", UserRole.Viewer, "hash-c", Time.GetUtcNow()), default));
        await store.DisposeAsync();
        _opened.Remove(store);

        var reopened = await Open("users");
        var ann = await reopened.FindUserAsync("ANN", default);
        Assert.NotNull(ann);
        Assert.Equal(("usr_1", "Ann", UserRole.Admin, "hash-a"), (ann.Id, ann.Name, ann.Role, ann.PasswordHash));
        Assert.Null(await reopened.FindUserAsync("carol", default));
        Assert.Equal(["Ann", "bob"], (await reopened.ListUsersAsync(default)).Select(u => u.Name));

        Assert.True(await reopened.SetUserPasswordAsync("bob", "hash-d", default));
        Assert.False(await reopened.SetUserPasswordAsync("carol", "hash-e", default));
        Assert.Equal("hash-d", (await reopened.FindUserAsync("bob", default))!.PasswordHash);
    }
}
