using Concord.Core.Identity;
using Concord.Core.Schema;

namespace Concord.Core.Tests.Identity;

public class NormalizersTests
{
    [Theory]
    [InlineData("ada@example.com", "ada@example.com")]
    [InlineData("  Ada.Lovelace@Example.COM ", "ada.lovelace@example.com")]
    [InlineData("ADA+billing@EXAMPLE.com", "ada@example.com")]
    [InlineData("Ada.Lovelace+news@gmail.com", "adalovelace@gmail.com")]
    [InlineData("ada.lovelace@googlemail.com", "adalovelace@gmail.com")]
    [InlineData("ada.lovelace@outlook.com", "ada.lovelace@outlook.com")]
    public void Email_IsTheMailboxItReaches(string raw, string expected)
    {
        Assert.Equal(expected, Normalizers.Normalize("email", raw));
    }

    [Theory]
    [InlineData("ada")]
    [InlineData("@example.com")]
    [InlineData("ada@")]
    [InlineData("ada lovelace@example.com")]
    [InlineData("info@acme.example")]
    [InlineData("Billing+stripe@acme.example")]
    [InlineData("no-reply@acme.example")]
    public void Email_ThatIsNotAnAddress_OrIsARoleMailbox_IsNull(string raw)
    {
        Assert.Null(Normalizers.Normalize("email", raw));
    }

    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("Example.COM", "example.com")]
    [InlineData("www.example.com", "example.com")]
    [InlineData("https://www.example.com/about?x=1#top", "example.com")]
    [InlineData("http://example.com:8080/", "example.com")]
    [InlineData("example.com:443", "example.com")]
    [InlineData("shop.example.co.uk.", "shop.example.co.uk")]
    [InlineData("ada@example.com", "example.com")]
    [InlineData("https://user:pass@example.com/x", "example.com")]
    [InlineData("  www.example.com  ", "example.com")]
    public void Domain_IsTheLowerCaseHostWithoutSchemeWwwPortOrPath(string raw, string expected)
    {
        Assert.Equal(expected, Normalizers.Normalize("domain", raw));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("https://intranet/")]
    [InlineData("not a domain")]
    [InlineData("ann@gmail.com")]
    [InlineData("https://outlook.com")]
    public void Domain_WithoutADot_OrOfAFreeMailProvider_IsNull(string raw)
    {
        Assert.Null(Normalizers.Normalize("domain", raw));
    }

    [Theory]
    [InlineData("+44 20 7946 0000", "+442079460000")]
    [InlineData("0044 20 7946 0000", "+442079460000")]
    [InlineData("020 7946 0000", "2079460000")]
    [InlineData("(555) 010-9999", "5550109999")]
    [InlineData("555-0100", "5550100")]
    public void Phone_IsInternationalWithAPlus_OrNationalWithoutTheTrunkZero(string raw, string expected)
    {
        Assert.Equal(expected, Normalizers.Normalize("phone", raw));
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("call me")]
    [InlineData("000 000 0000")]
    [InlineData("+1 111 111 1111")]
    public void Phone_WithFewerThanSixDigits_OrAPlaceholder_IsNull(string raw)
    {
        Assert.Null(Normalizers.Normalize("phone", raw));
    }

    [Theory]
    [InlineData("exact", "  INV-001 ", "INV-001")]
    [InlineData("lower", "INV-001", "inv-001")]
    [InlineData("upper", "inv-001", "INV-001")]
    [InlineData("digits", "INV-00/17", "0017")]
    [InlineData("alnum", "ACME Corp. Ltd", "acmecorpltd")]
    public void Simple_normalizers_transform_the_trimmed_value(string normalizer, string raw, string expected)
    {
        Assert.Equal(expected, Normalizers.Normalize(normalizer, raw));
    }

    [Theory]
    [InlineData("email")]
    [InlineData("domain")]
    [InlineData("phone")]
    [InlineData("exact")]
    [InlineData("lower")]
    [InlineData("upper")]
    [InlineData("digits")]
    [InlineData("alnum")]
    public void Empty_values_identify_nothing(string normalizer)
    {
        Assert.Null(Normalizers.Normalize(normalizer, null));
        Assert.Null(Normalizers.Normalize(normalizer, ""));
        Assert.Null(Normalizers.Normalize(normalizer, "   "));
    }

    [Theory]
    [InlineData("digits", "no digits")]
    [InlineData("alnum", "--- ---")]
    public void Value_that_normalises_to_nothing_is_null(string normalizer, string raw)
    {
        Assert.Null(Normalizers.Normalize(normalizer, raw));
    }

    [Fact]
    public void Known_lists_every_normaliser()
    {
        Assert.Equal(["email", "domain", "phone", "exact", "lower", "upper", "digits", "alnum"], Normalizers.Known);
    }

    [Theory]
    [InlineData("customer", "email")]
    [InlineData("company", "domain")]
    [InlineData("invoice", "number")]
    public void DefaultKeys_OfTypesWithANaturalKey(string type, string key)
    {
        Assert.Equal([key], Normalizers.DefaultKeys(type));
    }

    [Theory]
    [InlineData("deal")]
    [InlineData("ticket")]
    [InlineData("membership")]
    public void DefaultKeys_OfOtherTypes_AreEmpty(string type)
    {
        Assert.Empty(Normalizers.DefaultKeys(type));
    }

    [Theory]
    [InlineData("customer", "email", "email")]
    [InlineData("customer", "company_domain", "domain")]
    [InlineData("customer", "phone", "phone")]
    [InlineData("customer", "name", "exact")]
    [InlineData("customer", "no_such_field", "exact")]
    [InlineData("company", "domain", "domain")]
    [InlineData("invoice", "payment_link", "domain")]
    [InlineData("invoice", "number", "exact")]
    public void DefaultFor_PicksTheNormaliserOfTheFieldType(string type, string field, string expected)
    {
        Assert.True(CanonicalSchemas.TryGet(type, out var schema));

        Assert.Equal(expected, Normalizers.DefaultFor(schema, field));
    }
}
