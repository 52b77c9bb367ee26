using System.Text;
using Concord.Connectors.QuickBooks;

namespace Concord.Connectors.Tests.QuickBooks;

public sealed class QuickBooksSignatureTests
{
    private const string Token = "verifier-token-1234";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""[{"specversion":"1.0","id":"e1","source":"intuit.dsnBgbseACLLRZNxo2dfc4evmEJdxde58xeeYcZliOU=","type":"qbo.customer.updated.v1","time":"2026-11-22T12:00:00Z","intuitentityid":"1","intuitaccountid":"310687"}]""");

    [Fact]
    public void AValidSignature_Verifies() => Assert.Null(QuickBooksSignature.Verify(Token, QuickBooksSignature.Sign(Token, Body), Body));

    [Theory]
    [InlineData("tampered")]
    [InlineData("wrong token")]
    [InlineData("missing")]
    [InlineData("garbage")]
    public void BadSignatures_AreRejected(string how)
    {
        var sig = QuickBooksSignature.Sign(Token, Body);
        var why = how switch
        {
            "tampered" => QuickBooksSignature.Verify(Token, sig, Encoding.UTF8.GetBytes("[]")),
            "wrong token" => QuickBooksSignature.Verify("other", sig, Body),
            "missing" => QuickBooksSignature.Verify(Token, null, Body),
            _ => QuickBooksSignature.Verify(Token, "not base64 at all", Body),
        };
        Assert.NotNull(why);
    }
}
