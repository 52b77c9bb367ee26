using Concord.Core.Reconciliation;

namespace Concord.Core.Tests.Reconciliation;

public class TextSimilarityTests
{
    [Theory]
    [InlineData("MARTHA", "MARHTA", 0.961)]
    [InlineData("DWAYNE", "DUANE", 0.840)]
    [InlineData("DIXON", "DICKSONX", 0.813)]
    [InlineData("ABC", "ABC", 1.0)]
    [InlineData("ABC", "XYZ", 0.0)]
    public void JaroWinkler_HasTheTextbookValues(string a, string b, double expected)
    {
        Assert.Equal(expected, TextSimilarity.JaroWinkler(a, b), 3);
    }

    [Fact]
    public void Normalising_FoldsCasePunctuationAndSpaces()
    {
        var text = MatchText.Of("  L DE' Medici,  mo ");

        Assert.Equal("L DE MEDICI MO", text.Normalized);
        Assert.Equal(["L", "DE", "MEDICI", "MO"], text.Tokens);
    }

    [Theory]
    [InlineData("MATTHIAS C paym", "MATTHIAS C payment BGC")]
    [InlineData("M C donation BG", "M C")]
    public void A_TruncatedMemo_MatchesItsFullForm(string truncated, string full)
    {
        Assert.Equal(1.0, TextSimilarity.Compare(MatchText.Of(truncated), MatchText.Of(full)));
    }

    [Fact]
    public void The_SameCounterparty_WithOtherPaddingWords_ScoresAboveAnotherCounterparty()
    {
        var memo = MatchText.Of("M CORVINUS dona");

        var same = TextSimilarity.Compare(memo, MatchText.Of("M CORVINUS BGC"));
        var other = TextSimilarity.Compare(memo, MatchText.Of("L D MEDICI dona"));

        Assert.True(same > 0.7, $"same counterparty {same}");
        Assert.True(other < same - 0.2, $"other {other} against same {same}");
    }

    [Fact]
    public void A_MissingText_IsNoEvidenceEitherWay()
    {
        Assert.Equal(TextSimilarity.Unknown, TextSimilarity.Compare(MatchText.Of(""), MatchText.Of("ACME")));
    }
}
