namespace Concord.Core.Matching;

/// <summary>
/// A Fellegi–Sunter model's parameters: λ, the probability that two records drawn at random
/// are the same thing, and per comparison level m = P(level | match) and u = P(level | non-match).
/// A pair's match weight is log2 of the prior odds times each level's Bayes factor m/u; missing
/// values (level 0) count as a factor of one.
/// </summary>
public sealed class FellegiSunterParameters
{
    /// <summary>Probabilities are kept away from 0 and 1 so that a level never seen cannot veto or force a match.</summary>
    public const double Floor = 1e-6;

    /// <summary>Parameters with the given λ, m and u ([comparison][level]).</summary>
    public FellegiSunterParameters(double lambda, double[][] m, double[][] u)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(u);
        Lambda = Math.Clamp(lambda, Floor, 1 - Floor);
        M = m;
        U = u;
    }

    /// <summary>Prior probability that two random records match.</summary>
    public double Lambda { get; }

    /// <summary>m-probabilities: [comparison][level].</summary>
    public double[][] M { get; }

    /// <summary>u-probabilities: [comparison][level].</summary>
    public double[][] U { get; }

    /// <summary>log2 of m/u for a level; 0 for missing values.</summary>
    public double LevelWeight(int comparison, int level) =>
        level == Comparison.Null ? 0 : Math.Log2(Math.Max(M[comparison][level], Floor) / Math.Max(U[comparison][level], Floor));

    /// <summary>The match weight of a comparison vector: log2 prior odds plus every level's weight.</summary>
    public double MatchWeight(long vector)
    {
        var weight = Math.Log2(Lambda / (1 - Lambda));
        for (var k = 0; k < M.Length; k++)
        {
            weight += LevelWeight(k, ComparisonVector.Level(vector, k));
        }

        return weight;
    }

    /// <summary>The match probability of a weight.</summary>
    public static double Probability(double matchWeight) => 1 / (1 + Math.Pow(2, -matchWeight));
}
