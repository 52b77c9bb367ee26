namespace Concord.Core.Matching;

/// <summary>
/// Expectation–maximisation of the m-probabilities and λ over a set of pairs, with the
/// u-probabilities held fixed (they come from random pairs). Pairs are grouped by comparison
/// vector, so each iteration costs the number of distinct vectors, not of pairs.
/// </summary>
public static class ExpectationMaximisation
{
    /// <summary>The result of a run.</summary>
    /// <param name="M">m-probabilities; rows of inactive comparisons are returned unchanged.</param>
    /// <param name="Lambda">Share of matches among the pairs trained on.</param>
    /// <param name="Iterations">Iterations run.</param>
    public sealed record Result(double[][] M, double Lambda, int Iterations);

    /// <summary>Runs EM until m and λ move less than <paramref name="tolerance"/> or <paramref name="maxIterations"/> is reached.</summary>
    /// <param name="counts">Number of pairs per comparison vector.</param>
    /// <param name="m">Starting m-probabilities.</param>
    /// <param name="u">Fixed u-probabilities.</param>
    /// <param name="lambda">Starting share of matches.</param>
    /// <param name="active">Comparisons that take part; the others (those a session blocked on) are ignored.</param>
    /// <param name="maxIterations">Iteration limit.</param>
    /// <param name="tolerance">Largest change that counts as converged.</param>
    public static Result Run(
        IReadOnlyDictionary<long, long> counts, double[][] m, double[][] u, double lambda, bool[] active, int maxIterations = 100, double tolerance = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(u);
        ArgumentNullException.ThrowIfNull(active);
        var current = m.Select(r => (double[])r.Clone()).ToArray();
        var vectors = counts.ToArray();
        var iteration = 0;
        while (iteration++ < maxIterations)
        {
            var next = current.Select(r => new double[r.Length]).ToArray();
            double matched = 0, total = 0;
            foreach (var (vector, count) in vectors)
            {
                // E-step: the probability that pairs with this vector are matches.
                double logM = Math.Log(lambda), logU = Math.Log(1 - lambda);
                for (var k = 0; k < current.Length; k++)
                {
                    var level = ComparisonVector.Level(vector, k);
                    if (active[k] && level != Comparison.Null)
                    {
                        logM += Math.Log(Math.Max(current[k][level], FellegiSunterParameters.Floor));
                        logU += Math.Log(Math.Max(u[k][level], FellegiSunterParameters.Floor));
                    }
                }

                var p = 1 / (1 + Math.Exp(logU - logM));
                matched += p * count;
                total += count;
                for (var k = 0; k < current.Length; k++)
                {
                    next[k][ComparisonVector.Level(vector, k)] += p * count;
                }
            }

            // M-step: m is the share of expected matches at each non-null level, with one pseudo-pair
            // per level (Laplace) so that a level seen rarely in a small set is not declared impossible.
            var change = 0.0;
            for (var k = 0; k < current.Length; k++)
            {
                if (!active[k])
                {
                    next[k] = current[k];
                    continue;
                }

                next[k][Comparison.Null] = 0;
                var sum = next[k].Sum() + (next[k].Length - 1);
                for (var l = 1; l < next[k].Length; l++)
                {
                    next[k][l] = (next[k][l] + 1) / sum;
                    change = Math.Max(change, Math.Abs(next[k][l] - current[k][l]));
                }
            }

            var newLambda = Math.Clamp(total > 0 ? matched / total : lambda, FellegiSunterParameters.Floor, 1 - FellegiSunterParameters.Floor);
            change = Math.Max(change, Math.Abs(newLambda - lambda));
            current = next;
            lambda = newLambda;
            if (change < tolerance)
            {
                break;
            }
        }

        return new Result(current, lambda, Math.Min(iteration, maxIterations));
    }
}
