using System.Globalization;
using Concord.Server.Auth;
using Concord.Testing;
using Microsoft.Playwright;

namespace Concord.Dashboard.Tests;

/// <summary>
/// Failed sign-ins are limited per user name from one client address, per address and per name from every address: in
/// a real browser against a real hub (all from 127.0.0.1), and with a manual clock for many addresses.
/// </summary>
public sealed class SignInLimitTests : IAsyncLifetime
{
    private DashboardRig _rig = null!;

    public async Task InitializeAsync() => _rig = await DashboardRig.StartAsync(TestConfigs.TwoSystems("http://127.0.0.1:9/crm", "http://127.0.0.1:9/sink"));

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task FiveFailuresForANameFromAnAddress_Answer429WithRetryAfter_EvenWithTheRightPassword_WhileOtherNamesStillSignIn()
    {
        var page = await _rig.Browser.NewPageAsync();
        for (var i = 0; i < SignInLimiter.PerNameAndAddress; i++)
        {
            Assert.Equal(401, (await AttemptAsync(page, "viewer", "not the password")).Status);
        }

        // The name differs only in case and spaces: it is the same user.
        var refused = await AttemptAsync(page, " VIEWER ", DashboardRig.Password);
        Assert.Equal(429, refused.Status);
        var retryAfter = int.Parse(refused.Headers["retry-after"], CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 240, 300); // five minutes from the first failure, less the time the attempts took
        Assert.Equal("Too many failed sign-ins for this name or from this address. Try again in 5 minutes.", await page.GetByRole(AriaRole.Alert).InnerTextAsync());
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "concord_session");
        await DashboardRig.ScreenshotAsync(page, "signin-limited");

        // The address is not limited yet: someone else at it signs in.
        var other = await _rig.Browser.NewPageAsync();
        await DashboardRig.SignInAsync(other, _rig.Url, "operator", DashboardRig.Password);
        Assert.Equal("Overview", await other.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
    }

    [Fact]
    public async Task ASuccessfulSignIn_StartsTheNameAfresh()
    {
        var page = await _rig.Browser.NewPageAsync();
        for (var i = 0; i < SignInLimiter.PerNameAndAddress - 1; i++)
        {
            Assert.Equal(401, (await AttemptAsync(page, "operator", "not the password")).Status);
        }

        await DashboardRig.SignInAsync(page, _rig.Url, "operator", DashboardRig.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(_rig.Url + "/signin");

        // Without the reset the second of these would already be refused.
        for (var i = 0; i < SignInLimiter.PerNameAndAddress; i++)
        {
            Assert.Equal(401, (await AttemptAsync(page, "operator", "not the password")).Status);
        }

        Assert.Equal(429, (await AttemptAsync(page, "operator", "not the password")).Status);
    }

    [Fact]
    public async Task GuessingManyNamesFromOneAddress_IsLimitedToo_AndUnknownNamesAreAnsweredLikeKnownOnes()
    {
        var page = await _rig.Browser.NewPageAsync();
        for (var i = 0; i < SignInLimiter.PerAddress; i++)
        {
            // Known and unknown names alike: a refusal must not tell which exist.
            var name = i % 4 == 0 ? "admin" : "nobody" + i.ToString(CultureInfo.InvariantCulture);
            var answer = await AttemptAsync(page, name, "not the password");
            Assert.True(answer.Status == 401, $"attempt {i + 1} as {name} answered {answer.Status}");
            Assert.Equal("The name or password is not right.", await AlertAsync(answer));
        }

        var refused = await AttemptAsync(page, "someone-new", "not the password");
        Assert.Equal(429, refused.Status);
        Assert.NotNull(refused.Headers["retry-after"]);
        var known = await AttemptAsync(page, "viewer", DashboardRig.Password);
        Assert.Equal(429, known.Status);
        Assert.Equal("Too many failed sign-ins for this name or from this address. Try again in 5 minutes.", await AlertAsync(known));
    }

    [Fact]
    public void TheLimit_Lifts_WhenTheOldestFailureLeavesTheWindow()
    {
        var time = new ManualTimeProvider();
        var limiter = new SignInLimiter(time);
        limiter.Failed("ann", "10.0.0.1");
        time.Advance(TimeSpan.FromMinutes(2));
        for (var i = 1; i < SignInLimiter.PerNameAndAddress; i++)
        {
            Assert.Null(limiter.RetryAfter("ann", "10.0.0.1"));
            limiter.Failed("ann", "10.0.0.1");
        }

        Assert.Equal(TimeSpan.FromMinutes(3), limiter.RetryAfter(" ANN ", "10.0.0.1"));
        Assert.Null(limiter.RetryAfter("bob", "10.0.0.1"));
        time.Advance(TimeSpan.FromMinutes(3));
        Assert.Null(limiter.RetryAfter("ann", "10.0.0.1"));
    }

    [Fact]
    public void FailuresForANameFromOneAddress_DoNotKeepTheNameOutFromAnother()
    {
        var time = new ManualTimeProvider();
        var limiter = new SignInLimiter(time);
        for (var i = 0; i < SignInLimiter.PerNameAndAddress; i++)
        {
            limiter.Failed("ann", "203.0.113.9");
        }

        Assert.Equal(SignInLimiter.Window, limiter.RetryAfter("ann", "203.0.113.9"));
        Assert.Null(limiter.RetryAfter("ann", "198.51.100.7"));

        // Ann mistypes at her own address too, then signs in: that clears her failures there, not the other address's.
        for (var i = 0; i < SignInLimiter.PerNameAndAddress - 1; i++)
        {
            limiter.Failed("ann", "198.51.100.7");
        }

        limiter.Succeeded("ann", "198.51.100.7");
        limiter.Failed("ann", "198.51.100.7");
        Assert.Null(limiter.RetryAfter("ann", "198.51.100.7"));
        Assert.Equal(SignInLimiter.Window, limiter.RetryAfter("ann", "203.0.113.9"));

        // A connection without an address is one address of its own.
        Assert.Null(limiter.RetryAfter("ann", null));
        for (var i = 0; i < SignInLimiter.PerNameAndAddress; i++)
        {
            limiter.Failed("ann", null);
        }

        Assert.NotNull(limiter.RetryAfter("ann", null));
        Assert.Null(limiter.RetryAfter("ann", "198.51.100.7"));
    }

    [Fact]
    public void GuessesAtANameSpreadOverManyAddresses_AreCappedForTheName()
    {
        var time = new ManualTimeProvider();
        var limiter = new SignInLimiter(time);
        var perAddress = SignInLimiter.PerNameAndAddress - 1;
        var addresses = SignInLimiter.PerName / perAddress;
        for (var a = 0; a < addresses; a++)
        {
            var address = "10.1." + a.ToString(CultureInfo.InvariantCulture) + ".1";
            for (var i = 0; i < perAddress; i++)
            {
                Assert.True(limiter.RetryAfter("ann", address) is null, $"failure {(a * perAddress) + i + 1} refused early");
                limiter.Failed("ann", address);
                time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        // 100 failures, none past any address's limit: the name is refused everywhere, even from an address that never failed.
        var wait = limiter.RetryAfter("ann", "192.0.2.50");
        Assert.Equal(SignInLimiter.Window - TimeSpan.FromSeconds(SignInLimiter.PerName), wait);
        Assert.NotNull(limiter.RetryAfter(" Ann ", "10.1.0.1"));

        // Other names from those addresses are not held back, and the cap lifts as the oldest failures leave the window.
        Assert.Null(limiter.RetryAfter("bob", "10.1.0.1"));
        time.Advance(wait!.Value);
        Assert.Null(limiter.RetryAfter("ann", "192.0.2.50"));
        limiter.Failed("ann", "192.0.2.50");
        Assert.NotNull(limiter.RetryAfter("ann", "192.0.2.50"));
    }

    /// <summary>Fills the sign-in form and submits it; the answer to the post.</summary>
    private async Task<IResponse> AttemptAsync(IPage page, string name, string password)
    {
        await page.GotoAsync(_rig.Url + "/signin");
        await page.GetByLabel("User name").FillAsync(name);
        await page.GetByLabel("Password").FillAsync(password);
        return await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            r => r.Request.Method == "POST");
    }

    /// <summary>
    /// The alert of the page a sign-in post was answered with, read from the answer itself: twenty posts in a row need
    /// not wait for each answered page to be drawn before the next sign-in page is opened.
    /// </summary>
    private static async Task<string> AlertAsync(IResponse answer)
    {
        var alert = System.Text.RegularExpressions.Regex.Match(await answer.TextAsync(), "<p[^>]*role=\"alert\"[^>]*>(.*?)</p>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(alert.Success, $"the answer ({answer.Status}) has no alert");
        return System.Net.WebUtility.HtmlDecode(alert.Groups[1].Value).Trim();
    }
}
