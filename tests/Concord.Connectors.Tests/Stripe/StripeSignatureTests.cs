using System.Text;
using Concord.Connectors.Stripe;

namespace Concord.Connectors.Tests.Stripe;

/// <summary>Stripe-Signature vectors: valid, tampered, wrong secret, stale, rotated, malformed.</summary>
public sealed class StripeSignatureTests
{
    private const string Secret = "whsec_test_7d1f2a";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"evt_1","type":"customer.updated","data":{"object":{"id":"cus_1","email":"ann@example.com"}}}""");
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly long T = Now.ToUnixTimeSeconds();

    [Fact]
    public void AValidSignature_Verifies() => Assert.Null(StripeSignature.Verify(Secret, StripeSignature.Sign(Secret, T, Body), Body, Now));

    [Fact]
    public void DuringARollingSecret_EitherV1Verifies()
    {
        var oldSig = StripeSignature.Sign("whsec_old", T, Body).Split(',')[1];
        var header = StripeSignature.Sign(Secret, T, Body) + "," + oldSig + ",v0=deadbeef";
        Assert.Null(StripeSignature.Verify(Secret, header, Body, Now));
        Assert.Null(StripeSignature.Verify("whsec_old", header, Body, Now));
    }

    [Theory]
    [InlineData("tampered", "does not match")]
    [InlineData("wrong secret", "does not match")]
    [InlineData("stale", "tolerance")]
    [InlineData("future", "tolerance")]
    [InlineData("missing", "missing Stripe-Signature")]
    [InlineData("no timestamp", "no timestamp")]
    [InlineData("only v0", "no v1")]
    public void BadSignatures_AreRejectedWithAReason(string how, string reason)
    {
        var why = how switch
        {
            "tampered" => StripeSignature.Verify(Secret, StripeSignature.Sign(Secret, T, Body), Encoding.UTF8.GetBytes("{}"), Now),
            "wrong secret" => StripeSignature.Verify("whsec_other", StripeSignature.Sign(Secret, T, Body), Body, Now),
            "stale" => StripeSignature.Verify(Secret, StripeSignature.Sign(Secret, T - 301, Body), Body, Now),
            "future" => StripeSignature.Verify(Secret, StripeSignature.Sign(Secret, T + 301, Body), Body, Now),
            "missing" => StripeSignature.Verify(Secret, null, Body, Now),
            "no timestamp" => StripeSignature.Verify(Secret, StripeSignature.Sign(Secret, T, Body).Split(',')[1], Body, Now),
            _ => StripeSignature.Verify(Secret, $"t={T},v0=abcd", Body, Now),
        };
        Assert.NotNull(why);
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSignedStringIsTimestampDotBody()
    {
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{T}.{Encoding.UTF8.GetString(Body)}")));
        Assert.Equal($"t={T},v1={expected}", StripeSignature.Sign(Secret, T, Body));
    }
}
