namespace Concord.Connectors.Tests.HubSpot;

/// <summary>The settings check.</summary>
public sealed class HubSpotVerifierTests
{
    [Fact]
    public async Task TheRightToken_Verifies()
    {
        await using var kit = await HubSpotKit.StartAsync();
        var result = await kit.Parts.Verifier!.VerifyAsync(default);
        Assert.True(result.Ok, result.Message);
        Assert.Contains(kit.Sandbox.Requests, r => r.Method == "GET" && r.PathAndQuery == "/crm/v3/objects/contacts?limit=1");
    }

    [Fact]
    public async Task AWrongToken_NamesAccessToken()
    {
        await using var kit = await HubSpotKit.StartAsync(token: "pat-wrong");
        var result = await kit.Parts.Verifier!.VerifyAsync(default);
        Assert.False(result.Ok);
        Assert.Equal("access_token", result.Setting);
        Assert.Contains("INVALID_AUTHENTICATION", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableHubSpot_NamesBaseUrl()
    {
        await using var kit = await HubSpotKit.StartAsync();
        await kit.Sandbox.DisposeAsync();
        var result = await kit.Parts.Verifier!.VerifyAsync(default);
        Assert.False(result.Ok);
        Assert.Equal("base_url", result.Setting);
    }
}
