using Concord.Core.Matching;

namespace Concord.Core.Tests.Matching;

public class ExpectationMaximisationTests
{
    // Three comparisons, levels 1 (agree), 2 (close), 3 (else); level 0 is "missing".
    private static readonly double[][] TrueM = [[0, 0.85, 0.10, 0.05], [0, 0.70, 0.20, 0.10], [0, 0.90, 0.05, 0.05]];
    private static readonly double[][] TrueU = [[0, 0.02, 0.08, 0.90], [0, 0.05, 0.15, 0.80], [0, 0.01, 0.04, 0.95]];

    [Fact]
    public void Em_RecoversTheMProbabilitiesAndMatchShare_OfASyntheticSet()
    {
        const double lambda = 0.2;
        var counts = Synthetic(lambda, 200_000, seed: 7);
        var start = TrueM.Select(r => new double[] { 0, 0.5, 0.3, 0.2 }).ToArray();

        var result = ExpectationMaximisation.Run(counts, start, TrueU, 0.5, [true, true, true]);

        Assert.Equal(lambda, result.Lambda, 2);
        for (var k = 0; k < TrueM.Length; k++)
        {
            for (var l = 1; l < 4; l++)
            {
                Assert.InRange(result.M[k][l], TrueM[k][l] - 0.02, TrueM[k][l] + 0.02);
            }
        }
    }

    [Fact]
    public void Em_LeavesAComparisonThatSitsOutUnchanged()
    {
        var counts = Synthetic(0.2, 20_000, seed: 3);
        var start = TrueM.Select(r => new double[] { 0, 0.5, 0.3, 0.2 }).ToArray();

        var result = ExpectationMaximisation.Run(counts, start, TrueU, 0.5, [true, false, true]);

        Assert.Equal(start[1], result.M[1]);
    }

    [Fact]
    public void UDistribution_IsTheShareOfEachLevelAmongNonMissingPairs()
    {
        var comparisons = new[] { new Comparison("x", Preparation.Text, [new(LevelKind.Exact)]) };
        var counts = new Dictionary<long, long> { [1] = 10, [2] = 90, [0] = 50 };

        var u = UEstimator.Distribution(comparisons, counts);

        Assert.Equal(0.1, u[0][1], 6);
        Assert.Equal(0.9, u[0][2], 6);
    }

    [Fact]
    public void MatchWeight_IsPriorOddsPlusEachLevelsBayesFactor_AndMissingCountsForNothing()
    {
        var parameters = new FellegiSunterParameters(0.5, TrueM, TrueU);
        var agreeAll = Vector(1, 1, 1);
        var expected = Math.Log2(0.85 / 0.02) + Math.Log2(0.70 / 0.05) + Math.Log2(0.90 / 0.01);
        Assert.Equal(expected, parameters.MatchWeight(agreeAll), 9);
        Assert.Equal(Math.Log2(0.85 / 0.02), parameters.MatchWeight(Vector(1, 0, 0)), 9);
        Assert.Equal(0.5, FellegiSunterParameters.Probability(0), 9);
        Assert.True(FellegiSunterParameters.Probability(10) > 0.999);
    }

    private static long Vector(params int[] levels) =>
        levels.Select((l, k) => (l, k)).Aggregate(0L, (v, x) => ComparisonVector.With(v, x.k, x.l));

    private static Dictionary<long, long> Synthetic(double lambda, int pairs, int seed)
    {
        var random = new Random(seed);
        var counts = new Dictionary<long, long>();
        for (var p = 0; p < pairs; p++)
        {
            var table = random.NextDouble() < lambda ? TrueM : TrueU;
            var levels = table.Select(row => Draw(row, random)).ToArray();
            var v = Vector(levels);
            counts[v] = counts.GetValueOrDefault(v) + 1;
        }

        return counts;
    }

    private static int Draw(double[] row, Random random)
    {
        var x = random.NextDouble();
        for (var l = 1; l < row.Length; l++)
        {
            x -= row[l];
            if (x <= 0)
            {
                return l;
            }
        }

        return row.Length - 1;
    }
}
