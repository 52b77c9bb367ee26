using Concord.Connectors.Slack;

namespace Concord.Connectors.Tests.Slack;

public sealed class SlackSignatureTests
{
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string Body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Fweather";
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly long T = Now.ToUnixTimeSeconds();
    private static readonly string Ts = T.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void AValidSignature_Verifies() => Assert.Null(SlackSignature.Verify(Secret, SlackSignature.Sign(Secret, T, Body), Ts, Body, Now));

    [Theory]
    [InlineData("tampered", "does not match")]
    [InlineData("wrong secret", "does not match")]
    [InlineData("stale", "tolerance")]
    [InlineData("no v0", "malformed")]
    [InlineData("no timestamp", "X-Slack-Request-Timestamp")]
    public void BadSignatures_AreRejectedWithAReason(string how, string reason)
    {
        var sig = SlackSignature.Sign(Secret, T, Body);
        var why = how switch
        {
            "tampered" => SlackSignature.Verify(Secret, sig, Ts, Body + "&x=1", Now),
            "wrong secret" => SlackSignature.Verify("other", sig, Ts, Body, Now),
            "stale" => SlackSignature.Verify(Secret, SlackSignature.Sign(Secret, T - 301, Body), (T - 301).ToString(System.Globalization.CultureInfo.InvariantCulture), Body, Now),
            "no v0" => SlackSignature.Verify(Secret, sig[3..], Ts, Body, Now),
            _ => SlackSignature.Verify(Secret, sig, "", Body, Now),
        };
        Assert.NotNull(why);
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }
}
