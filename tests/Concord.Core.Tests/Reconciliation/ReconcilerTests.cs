using Concord.Core.Reconciliation;

namespace Concord.Core.Tests.Reconciliation;

public class ReconcilerTests
{
    private static readonly DateOnly Day = new(2024, 3, 1);

    private static MoneyLine Line(string id, decimal amount, int day, string text, string currency = "EUR") =>
        new(id, amount, currency, Day.AddDays(day), text);

    private static IReadOnlyList<MatchProposal> Reconcile(MoneyLine[] left, MoneyLine[] right, ReconcileOptions? options = null) =>
        new Reconciler(options).Reconcile(left, right);

    [Fact]
    public void An_ExactMatch_IsConfirmed()
    {
        var proposals = Reconcile([Line("p1", 120.00m, 0, "ACME LTD INV-1001")], [Line("i1", 120.00m, 0, "ACME LTD INV-1001")]);

        var p = Assert.Single(proposals);
        Assert.Equal(["p1"], p.LeftIds);
        Assert.Equal(["i1"], p.RightIds);
        Assert.Equal(MatchStatus.Confirmed, p.Status);
        Assert.Equal(1.0, p.Score, 6);
        Assert.Contains("same amount", p.Reasons);
    }

    [Fact]
    public void A_SmallFee_StillMatches_AndSaysByHowMuch()
    {
        var proposals = Reconcile([Line("p1", 100.00m, 0, "ACME LTD")], [Line("b1", 97.10m, 1, "ACME LTD")]);

        var p = Assert.Single(proposals);
        Assert.Equal(["b1"], p.RightIds);
        Assert.Equal(MatchStatus.Confirmed, p.Status);
        Assert.Contains(p.Reasons, r => r.StartsWith("amount differs by -2.90", StringComparison.Ordinal));
    }

    [Fact]
    public void The_ExactAmount_WinsOverACloseOne()
    {
        var proposals = Reconcile(
            [Line("p1", 100.00m, 0, "ACME LTD")],
            [Line("near", 98.00m, 0, "ACME LTD"), Line("exact", 100.00m, 0, "ACME LTD")]);

        var p = Assert.Single(proposals);
        Assert.Equal(["exact"], p.RightIds);
    }

    [Fact]
    public void A_DateLag_WithinTheWindow_Matches()
    {
        var proposals = Reconcile([Line("p1", 55.00m, 0, "ACME LTD")], [Line("b1", 55.00m, 10, "ACME LTD")]);

        var p = Assert.Single(proposals);
        Assert.Contains("dated 10 day(s) later", p.Reasons);
    }

    [Fact]
    public void Beyond_TheDateWindow_OrTheAmountTolerance_OrInAnotherCurrency_NothingIsProposed()
    {
        var options = new ReconcileOptions { OneToMany = false };

        Assert.Empty(Reconcile([Line("p1", 55.00m, 0, "ACME")], [Line("b1", 55.00m, 40, "ACME")], options));
        Assert.Empty(Reconcile([Line("p1", 55.00m, 0, "ACME")], [Line("b1", 75.00m, 0, "ACME")], options));
        Assert.Empty(Reconcile([Line("p1", 55.00m, 0, "ACME")], [Line("b1", 55.00m, 0, "ACME", "USD")], options));
    }

    [Fact]
    public void A_TruncatedMemo_PicksItsCounterparty_AmongEqualAmounts()
    {
        var proposals = Reconcile(
            [Line("p1", 221.91m, 0, "M CORVINUS dona")],
            [Line("other", 221.91m, 1, "L D MEDICI donation BGC"), Line("right", 221.91m, 2, "M CORVINUS donation BGC")]);

        var p = Assert.Single(proposals);
        Assert.Equal(["right"], p.RightIds);
    }

    [Fact]
    public void One_Payment_CoveringSeveralInvoices_IsOneToMany()
    {
        var proposals = Reconcile(
            [Line("pay", 300.00m, 5, "ACME INV 1001 1002")],
            [Line("i1001", 100.00m, 0, "ACME INV 1001"), Line("i1002", 200.00m, 1, "ACME INV 1002"), Line("other", 150.00m, 1, "GLOBEX INV 7")]);

        var p = Assert.Single(proposals);
        Assert.False(p.IsOneToOne);
        Assert.Equal(["pay"], p.LeftIds);
        Assert.Equal(["i1001", "i1002"], p.RightIds.Order());
        Assert.Contains(p.Reasons, r => r.StartsWith("2 lines add up to 300.00", StringComparison.Ordinal));
    }

    [Fact]
    public void Several_BankLines_MakingUpOneLedgerEntry_AreManyToOne()
    {
        var proposals = Reconcile(
            [Line("b1", 40.00m, 1, "ACME CARD"), Line("b2", 60.00m, 2, "ACME CARD")],
            [Line("ledger", 100.00m, 0, "ACME CARD")]);

        var p = Assert.Single(proposals);
        Assert.Equal(["b1", "b2"], p.LeftIds.Order());
        Assert.Equal(["ledger"], p.RightIds);
    }

    [Fact]
    public void When_SeveralSubsetsFitTheAmount_TheOneToManyIsOnlySuggested()
    {
        var proposals = Reconcile(
            [Line("pay", 100.00m, 3, "ACME")],
            [Line("a", 50.00m, 0, "ACME"), Line("b", 50.00m, 0, "ACME"), Line("c", 50.00m, 0, "ACME")]);

        var p = Assert.Single(proposals);
        Assert.Equal(MatchStatus.Suggested, p.Status);
        Assert.Contains(p.Reasons, r => r.EndsWith("ambiguous", StringComparison.Ordinal));
    }

    [Fact]
    public void A_Tie_IsSuggested_NotConfirmed()
    {
        var proposals = Reconcile(
            [Line("p1", 50.00m, 0, "MONTHLY RENT")],
            [Line("b1", 50.00m, 1, "MONTHLY RENT"), Line("b2", 50.00m, 1, "MONTHLY RENT")]);

        var p = Assert.Single(proposals);
        Assert.Equal(MatchStatus.Suggested, p.Status);
        Assert.Contains(p.Reasons, r => r.EndsWith("ambiguous", StringComparison.Ordinal));
    }

    [Fact]
    public void A_WeakMatch_BelowTheAutoThreshold_IsSuggested()
    {
        var proposals = Reconcile([Line("p1", 100.00m, 0, "ACME LTD")], [Line("b1", 93.00m, 20, "ACME")], new ReconcileOptions { AutoConfirmScore = 0.95 });

        var p = Assert.Single(proposals);
        Assert.Equal(MatchStatus.Suggested, p.Status);
        Assert.Contains(p.Reasons, r => r.Contains("below the auto threshold", StringComparison.Ordinal));
    }

    [Fact]
    public void In_OneToOne_NoLineIsMatchedTwice()
    {
        // Many look-alike lines: equal amounts and memos, nearby days, so every line has many candidates.
        var left = Enumerable.Range(0, 60).Select(i => Line($"l{i}", 10m + (i % 5), i % 7, $"SHOP {i % 3}")).ToArray();
        var right = Enumerable.Range(0, 50).Select(i => Line($"r{i}", 10m + (i % 5), (i % 7) + 1, $"SHOP {i % 3}")).ToArray();

        var proposals = Reconcile(left, right, new ReconcileOptions { OneToMany = false });

        Assert.Equal(50, proposals.Count);
        Assert.All(proposals, p => Assert.True(p.IsOneToOne));
        Assert.Equal(proposals.Count, proposals.Select(p => p.LeftIds[0]).Distinct().Count());
        Assert.Equal(proposals.Count, proposals.Select(p => p.RightIds[0]).Distinct().Count());
        Assert.All(proposals, p => Assert.Equal(MatchStatus.Suggested, p.Status));
    }

    [Fact]
    public void With_OneToMany_TooNoLineAppearsInTwoProposals()
    {
        var left = Enumerable.Range(0, 40).Select(i => Line($"l{i}", 10m * (1 + (i % 4)), i % 5, "SHOP")).ToArray();
        var right = Enumerable.Range(0, 70).Select(i => Line($"r{i}", 10m * (1 + (i % 3)), i % 5, "SHOP")).ToArray();

        var proposals = Reconcile(left, right);

        var ids = proposals.SelectMany(p => p.LeftIds.Concat(p.RightIds)).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
