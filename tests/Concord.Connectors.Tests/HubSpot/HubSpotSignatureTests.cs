using Concord.Connectors.HubSpot;

namespace Concord.Connectors.Tests.HubSpot;

/// <summary>HubSpot signature vectors, including the known answers HubSpot publishes for v1 and v2.</summary>
public sealed class HubSpotSignatureTests
{
    private const string Secret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
    private const string Body = """[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]""";
    private const string Uri = "https://hub.example.com/hooks/hubspot";
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly long Ms = Now.ToUnixTimeMilliseconds();

    [Fact]
    public void V1AndV2_MatchHubSpotsPublishedExamples()
    {
        Assert.Equal("232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de", HubSpotSignature.SignLegacy(Secret, "v1", "POST", Uri, Body));
        Assert.Equal("eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e", HubSpotSignature.SignLegacy(Secret, "v2", "GET", "https://www.example.com/webhook_uri", ""));
        Assert.Null(HubSpotSignature.VerifyLegacy(Secret, "v1", "POST", Uri, Body, "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de"));
        Assert.NotNull(HubSpotSignature.VerifyLegacy(Secret, "v1", "POST", Uri, Body + " ", "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de"));
    }

    [Fact]
    public void AValidV3Signature_Verifies_AlsoWhenTheUriCarriesEscapesHubSpotDecodes()
    {
        var sig = HubSpotSignature.SignV3(Secret, "POST", Uri + "?next=%2Fdone", Body, Ms);
        Assert.Null(HubSpotSignature.VerifyV3(Secret, "POST", Uri + "?next=/done", Body, sig, Ms.ToString(System.Globalization.CultureInfo.InvariantCulture), Now));
    }

    [Theory]
    [InlineData("tampered", "does not match")]
    [InlineData("wrong secret", "does not match")]
    [InlineData("other method", "does not match")]
    [InlineData("stale", "tolerance")]
    [InlineData("no timestamp", "X-HubSpot-Request-Timestamp")]
    [InlineData("missing", "missing X-HubSpot-Signature-v3")]
    [InlineData("not base64", "does not match")]
    public void BadV3Signatures_AreRejectedWithAReason(string how, string reason)
    {
        var ts = Ms.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sig = HubSpotSignature.SignV3(Secret, "POST", Uri, Body, Ms);
        var why = how switch
        {
            "tampered" => HubSpotSignature.VerifyV3(Secret, "POST", Uri, Body + "x", sig, ts, Now),
            "wrong secret" => HubSpotSignature.VerifyV3("other", "POST", Uri, Body, sig, ts, Now),
            "other method" => HubSpotSignature.VerifyV3(Secret, "PUT", Uri, Body, sig, ts, Now),
            "stale" => HubSpotSignature.VerifyV3(Secret, "POST", Uri, Body, HubSpotSignature.SignV3(Secret, "POST", Uri, Body, Ms - 300_001),
                (Ms - 300_001).ToString(System.Globalization.CultureInfo.InvariantCulture), Now),
            "no timestamp" => HubSpotSignature.VerifyV3(Secret, "POST", Uri, Body, sig, null, Now),
            "missing" => HubSpotSignature.VerifyV3(Secret, "POST", Uri, Body, null, ts, Now),
            _ => HubSpotSignature.VerifyV3(Secret, "POST", Uri, Body, "***", ts, Now),
        };
        Assert.NotNull(why);
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }
}
