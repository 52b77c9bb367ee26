using Concord.Engine.Connectors;
using System.Text.Json.Nodes;
using Concord.Testing;

namespace Concord.Connectors.Tests.QuickBooks;

public sealed class QuickBooksAuthTests
{
    [Fact]
    public async Task Verify_Succeeds_AndTheRotatedRefreshTokenIsStored()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        var result = await rig.Verifier.VerifyAsync(default);
        Assert.True(result.Ok, result.Message);
        Assert.Contains(rig.Sandbox.RealmId, result.Message, StringComparison.Ordinal);
        var stored = rig.Credentials.Values["qbo/refresh_token"];
        Assert.Equal([stored], rig.Sandbox.ValidRefreshTokens);
        Assert.DoesNotContain("rt-initial", rig.Sandbox.ValidRefreshTokens);
    }

    [Fact]
    public async Task AWrongClientSecret_NamesTheSetting()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        var result = await Build(rig, QuickBooksRig.Yaml(rig.Sandbox), n => n == "QB_CLIENT_SECRET" ? "wrong" : QuickBooksRig.Secrets.GetValueOrDefault(n)).VerifyAsync(default);
        Assert.False(result.Ok);
        Assert.Equal("client_id", result.Setting);
        Assert.Contains("invalid_client", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUsedRefreshToken_IsInvalidGrant_NamingRefreshToken_AndNotRetryable()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        Assert.True((await rig.Verifier.VerifyAsync(default)).Ok);
        // The hub lost its stored token (or another install used it): the configured one is spent.
        rig.Credentials.Values.Clear();
        rig.Sandbox.ExpireAccessTokens();

        var result = await rig.Verifier.VerifyAsync(default);
        Assert.False(result.Ok);
        Assert.Equal("refresh_token", result.Setting);
        Assert.Contains("reconnect", result.Message, StringComparison.Ordinal);
        var ex = await Assert.ThrowsAsync<DeliveryFailedException>(() => rig.Outbound.SendAsync(QuickBooksRig.Delivery("customer", new JsonObject { ["name"] = "X" }), default));
        Assert.False(ex.Retryable);
    }

    [Fact]
    public async Task AnAccessTokenRejectedWith401_IsRefreshedOnce_AndTheCallRepeated()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        Assert.True((await rig.Verifier.VerifyAsync(default)).Ok);
        rig.Sandbox.ExpireAccessTokens();
        var result = await rig.Outbound.SendAsync(QuickBooksRig.Delivery("customer", new JsonObject { ["name"] = "Ivy" }), default);
        Assert.NotNull(result.ExternalId);
        Assert.Equal(2, rig.Sandbox.Refreshes);
        Assert.Equal([rig.Credentials.Values["qbo/refresh_token"]], rig.Sandbox.ValidRefreshTokens);
    }

    [Fact]
    public async Task TheTokenIsRefreshedBeforeItExpires_AndRefreshesRunOneAtATime()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var rig = await QuickBooksRig.StartAsync(clock);
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => rig.Verifier.VerifyAsync(default)));
        Assert.Equal(1, rig.Sandbox.Refreshes);

        clock.Advance(TimeSpan.FromMinutes(54));
        Assert.True((await rig.Verifier.VerifyAsync(default)).Ok);
        Assert.Equal(1, rig.Sandbox.Refreshes);

        clock.Advance(TimeSpan.FromMinutes(2)); // 56 minutes: within five of the hour
        Assert.True((await rig.Verifier.VerifyAsync(default)).Ok);
        Assert.Equal(2, rig.Sandbox.Refreshes);
    }

    [Fact]
    public async Task AWrongRealm_NamesRealmId()
    {
        await using var rig = await QuickBooksRig.StartAsync(realm: "1234");
        var result = await rig.Verifier.VerifyAsync(default);
        Assert.False(result.Ok);
        Assert.Equal("realm_id", result.Setting);
    }

    [Fact]
    public async Task AnUnreachableHost_NamesBaseUrl()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        var closed = $"http://127.0.0.1:{HubHarness.FreePort()}";
        var yaml = QuickBooksRig.Yaml(rig.Sandbox).Replace($"base_url: {rig.Sandbox.Url}", $"base_url: {closed}", StringComparison.Ordinal);
        var result = await Build(rig, yaml, QuickBooksRig.Secrets.GetValueOrDefault).VerifyAsync(default);
        Assert.False(result.Ok);
        Assert.Equal("base_url", result.Setting);
    }

    private static IVerifier Build(QuickBooksRig rig, string yaml, Func<string, string?> environment)
    {
        var config = TestConfigs.Load(yaml, environment);
        return new Concord.Connectors.QuickBooks.QuickBooksConnector.Kind().Create(config.Systems["qbo"], new ConnectorContext
        {
            Http = rig.Http,
            Time = TimeProvider.System,
            Intake = rig.Context.Intake,
            Links = rig.Links,
            Credentials = new MemoryCredentials(),
            Environment = environment,
        }).Verifier!;
    }
}
