using Concord.Core.Matching;

namespace Concord.Core.Tests.Matching;

public class ComparatorTests
{
    [Theory]
    [InlineData("MARTHA", "MARHTA", 0.961)]
    [InlineData("DWAYNE", "DUANE", 0.840)]
    [InlineData("DIXON", "DICKSONX", 0.813)]
    [InlineData("same", "same", 1.0)]
    [InlineData("abc", "xyz", 0.0)]
    public void JaroWinkler_HasThePublishedValues(string a, string b, double expected)
    {
        Assert.Equal(expected, JaroWinkler.Similarity(a, b), 3);
        Assert.Equal(expected, JaroWinkler.Similarity(b, a), 3);
    }

    [Fact]
    public void Jaro_WithoutThePrefixBoost()
    {
        Assert.Equal(0.944, JaroWinkler.Jaro("MARTHA", "MARHTA"), 3);
    }

    [Theory]
    [InlineData("1234", "1234", 0)]
    [InlineData("1234", "1243", 1)]
    [InlineData("1234", "124", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    public void Damerau_CountsASwappedPairAsOneEdit(string a, string b, int expected)
    {
        Assert.Equal(expected, EditDistance.Damerau(a, b));
    }

    [Theory]
    [InlineData("hotel bel air", "bel air hotel", 1.0)]
    [InlineData("arts delicatessen", "arts deli", 1.0)]
    [InlineData("blue moon cafe", "blue mooon", 2.0 / 3)]
    [InlineData("alpha", "beta", 0.0)]
    public void TokenSet_IgnoresOrderAndForgivesTyposAndAbbreviations(string a, string b, double expected)
    {
        Assert.Equal(expected, TokenSet.Similarity(a, b), 3);
    }

    [Fact]
    public void TokenOverlap_IsOneWhenOneSideIsContainedInTheOther()
    {
        Assert.Equal(1.0, TokenSet.Overlap(TokenSet.Tokens("fenix"), TokenSet.Tokens("fenix at the argyle")));
        Assert.Equal(0.5, TokenSet.Overlap(TokenSet.Tokens("fenix bar"), TokenSet.Tokens("fenix at the argyle")));
    }

    [Theory]
    [InlineData("Acme Corp.", "acme")]
    [InlineData("ACME Corporation", "acme")]
    [InlineData("Smith & Sons Ltd", "smith and sons")]
    [InlineData("Müller GmbH", "müller")]
    [InlineData("The Widget Company, L.L.C.", "widget")]
    [InlineData("Inc", "inc")]
    public void CompanyNames_DropLegalFormAndReadAmpersandAsAnd(string raw, string expected)
    {
        Assert.Equal(expected, CompanyNames.Normalize(raw));
    }

    [Fact]
    public void Addresses_SpellOutAbbreviations()
    {
        Assert.Equal("435 south la cienega boulevard", Addresses.Normalize("435 S. La Cienega Blvd."));
        Assert.Equal(Addresses.Normalize("12 Main Street"), Addresses.Normalize("12 main st"));
    }

    [Theory]
    [InlineData("Allen", "Alan")]
    [InlineData("Brown", "Browne")]
    [InlineData("Knight", "Night")]
    [InlineData("Phillips", "Filips")]
    [InlineData("Macintosh", "Mcintosh")]
    public void Nysiis_GivesNamesThatSoundAlikeOneKey(string a, string b)
    {
        Assert.Equal(Nysiis.Key(a), Nysiis.Key(b));
    }

    [Fact]
    public void Nysiis_KeepsDifferentNamesApart()
    {
        Assert.NotEqual(Nysiis.Key("Smith"), Nysiis.Key("Jones"));
        Assert.Equal(string.Empty, Nysiis.Key("123"));
        Assert.Equal("JAN", Nysiis.Key("Jan"));
        Assert.Equal("SNAT", Nysiis.Key("Smith"));
    }

    [Theory]
    [InlineData("1971-06-24", "19710624")]
    [InlineData("19710624", "19710624")]
    [InlineData("24/06/1971", "19710624")]
    [InlineData("19711324", "19711324")]
    [InlineData("June", null)]
    public void Dates_AreCanonicalDigitsAndKeepInvalidEightDigitTypos(string raw, string? expected)
    {
        Assert.Equal(expected, Dates.Canonical(raw));
    }

    [Theory]
    [InlineData("19710604", "19710406", true)]
    [InlineData("19710624", "19710625", true)]
    [InlineData("19710624", "19170624", true)]
    [InlineData("19710624", "19720725", false)]
    public void Dates_ToleratesSwappedDayAndMonthAndOneDigitTypos(string a, string b, bool typo)
    {
        Assert.Equal(typo, Dates.Typo(a, b));
    }

    [Fact]
    public void Numbers_WithinARelativeTolerance()
    {
        Assert.Equal(1234.5, Numbers.Parse("$1,234.50"));
        Assert.True(Numbers.WithinRelative(100, 101, 0.01));
        Assert.False(Numbers.WithinRelative(100, 103, 0.01));
    }

    [Fact]
    public void Comparison_FallsInTheFirstLevelThatHoldsOrNullOrElse()
    {
        var comparison = new Comparison("name", Preparation.Name, [new(LevelKind.Exact), new(LevelKind.JaroWinkler, 0.92)]);
        PreparedValue? Value(string? raw) => PreparedValue.Prepare(Preparation.Name, raw);
        Assert.Equal(1, comparison.Level(Value("Martha"), Value("MARTHA ")));
        Assert.Equal(2, comparison.Level(Value("Martha"), Value("Marhta")));
        Assert.Equal(3, comparison.Level(Value("Martha"), Value("Joan")));
        Assert.Equal(Comparison.Null, comparison.Level(Value("Martha"), Value("  ")));
    }

    [Fact]
    public void SwappedLevel_RecognisesFirstAndLastNameTheWrongWayRound()
    {
        var first = MatchModels.Customer.Comparisons.Single(c => c.Field == "first_name");
        PreparedValue? Value(string raw) => PreparedValue.Prepare(Preparation.Name, raw);
        var level = first.Level(Value("Hall"), Value("Isla"), Value("Isla"), Value("Hall"));
        Assert.Equal("Swapped(0.92)", first.LevelLabel(level));
    }
}
