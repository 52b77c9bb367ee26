using System.Text;
using Concord.Connectors.Webhook;

namespace Concord.Connectors.Tests.Webhook;

public sealed class WebhookSignatureTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"type":"customer"}""");
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private static string Ts(DateTimeOffset t) => t.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void ASignatureMadeWithTheSecret_Verifies()
    {
        var sig = WebhookSignature.Sign("s3cret", Now.ToUnixTimeSeconds(), Body);
        Assert.StartsWith("v1=", sig, StringComparison.Ordinal);
        Assert.Null(WebhookSignature.Verify("s3cret", Ts(Now), sig, Body, Now, Tolerance));
    }

    [Fact]
    public void AnyOfSeveralSignatures_Verifies_SoSecretsCanBeRotated()
    {
        var header = WebhookSignature.Sign("old", Now.ToUnixTimeSeconds(), Body) + ", " + WebhookSignature.Sign("new", Now.ToUnixTimeSeconds(), Body);
        Assert.Null(WebhookSignature.Verify("new", Ts(Now), header, Body, Now, Tolerance));
        Assert.Null(WebhookSignature.Verify("old", Ts(Now), header, Body, Now, Tolerance));
    }

    [Theory]
    [InlineData("wrong secret", "signature does not match")]
    [InlineData("tampered body", "signature does not match")]
    [InlineData("stale", "tolerance")]
    [InlineData("future", "tolerance")]
    [InlineData("missing signature", "missing X-Concord-Signature")]
    [InlineData("missing timestamp", "X-Concord-Timestamp")]
    [InlineData("garbage", "signature does not match")]
    [InlineData("beyond the calendar", "tolerance")]
    public void BadSignatures_AreRejectedWithAReason(string what, string reason)
    {
        var ts = Now.ToUnixTimeSeconds();
        var good = WebhookSignature.Sign("s3cret", ts, Body);
        var why = what switch
        {
            "wrong secret" => WebhookSignature.Verify("other", Ts(Now), good, Body, Now, Tolerance),
            "tampered body" => WebhookSignature.Verify("s3cret", Ts(Now), good, Encoding.UTF8.GetBytes("""{"type":"invoice"}"""), Now, Tolerance),
            "stale" => WebhookSignature.Verify("s3cret", Ts(Now.AddMinutes(-6)), WebhookSignature.Sign("s3cret", ts - 360, Body), Body, Now, Tolerance),
            "future" => WebhookSignature.Verify("s3cret", Ts(Now.AddMinutes(6)), WebhookSignature.Sign("s3cret", ts + 360, Body), Body, Now, Tolerance),
            "missing signature" => WebhookSignature.Verify("s3cret", Ts(Now), null, Body, Now, Tolerance),
            "missing timestamp" => WebhookSignature.Verify("s3cret", null, good, Body, Now, Tolerance),
            "beyond the calendar" => WebhookSignature.Verify("s3cret", "99999999999999", good, Body, Now, Tolerance),
            _ => WebhookSignature.Verify("s3cret", Ts(Now), "v1=zz,v2=abc", Body, Now, Tolerance),
        };
        Assert.NotNull(why);
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }
}
