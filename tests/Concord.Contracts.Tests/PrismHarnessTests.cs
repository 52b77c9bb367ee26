using System.Net.Http.Headers;
using System.Text;
using Concord.Testing;

namespace Concord.Contracts.Tests;

/// <summary>The harness itself: Prism must reject a request that breaks the spec, or no contract test means anything.</summary>
public sealed class PrismHarnessTests
{
    [Fact]
    public async Task Prism_rejects_a_request_that_breaks_the_spec_and_accepts_one_that_follows_it()
    {
        await using var prism = await PrismMock.StartAsync("slack/slack_web_openapi_v2.json");
        using var http = new HttpClient { BaseAddress = prism.BaseUrl };

        using var good = new HttpRequestMessage(HttpMethod.Post, "/chat.postMessage")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["channel"] = "C123", ["text"] = "hello" }),
        };
        good.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "xoxb-test");

        // The 2021 specification models the token as a header named "token"; Slack reads the bearer token.
        good.Headers.Add("token", "xoxb-test");
        using var accepted = await http.SendAsync(good);
        PrismMock.AssertAccepted(accepted, "chat.postMessage with channel and text");

        // Missing the required token: the spec says so, and the harness must notice.
        using var bad = new HttpRequestMessage(HttpMethod.Post, "/chat.postMessage")
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };
        using var rejected = await http.SendAsync(bad);
        Assert.Throws<Xunit.Sdk.XunitException>(() => PrismMock.AssertAccepted(rejected, "chat.postMessage without a token"));
    }
}
