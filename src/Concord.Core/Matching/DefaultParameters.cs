namespace Concord.Core.Matching;

/// <summary>
/// Parameters to match with before there is enough data to learn them: a new hub's store holds a
/// handful of records, far too few for expectation–maximisation. They are priors, in the spirit
/// of Splink's hand-set m and u: m says how often a true match agrees at a level (data quality,
/// much the same everywhere), u how often two different things do, which depends on how
/// discriminating the field is (a phone number agreeing by chance is rarer than a city).
/// </summary>
/// <remarks>
/// For a comparison with levels 1…L above "else": m of the exact level is
/// <see cref="ExactM"/> and the closer-than-else levels share <see cref="NearM"/>; u of the exact
/// level is the field's chance agreement (<see cref="ChanceAgreement"/>) and each looser level is
/// four times as common among different things as the one above it. λ is fixed at
/// <see cref="Lambda"/>: about one record in a few thousand pairs being a duplicate of a given one.
/// </remarks>
public static class DefaultParameters
{
    /// <summary>Share of true matches that agree exactly on a field both records have.</summary>
    public const double ExactM = 0.8;

    /// <summary>Share of true matches that agree closely but not exactly (typos, abbreviations), spread over the near levels.</summary>
    public const double NearM = 0.15;

    /// <summary>Prior probability that two records drawn at random are the same thing.</summary>
    public const double Lambda = 1e-4;

    /// <summary>How often two different things agree exactly on a field by chance, by field name; others 1 %.</summary>
    private static readonly Dictionary<string, double> Chance = new(StringComparer.Ordinal)
    {
        ["first_name"] = 0.01,
        ["last_name"] = 0.005,
        ["name"] = 0.0005,
        ["dob"] = 0.0003,
        ["address"] = 0.0005,
        ["address2"] = 0.01,
        ["city"] = 0.05,
        ["postcode"] = 0.01,
        ["state"] = 0.2,
        ["phone"] = 0.0001,
        ["email"] = 0.0001,
        ["domain"] = 0.0005,
        ["national_id"] = 0.0001,
    };

    /// <summary>The chance agreement of <paramref name="field"/> used as the exact level's u.</summary>
    public static double ChanceAgreement(string field) => Chance.GetValueOrDefault(field, 0.01);

    /// <summary>Prior parameters for <paramref name="model"/>.</summary>
    public static FellegiSunterParameters For(MatchModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var m = new double[model.Comparisons.Count][];
        var u = new double[model.Comparisons.Count][];
        for (var k = 0; k < model.Comparisons.Count; k++)
        {
            var comparison = model.Comparisons[k];
            var levels = comparison.Levels.Count;
            m[k] = new double[comparison.LevelCount];
            u[k] = new double[comparison.LevelCount];
            var chance = ChanceAgreement(comparison.Field);
            var (mSum, uSum) = (0.0, 0.0);
            for (var level = 1; level <= levels; level++)
            {
                m[k][level] = level == 1 ? ExactM : NearM / (levels - 1);
                u[k][level] = Math.Min(chance * Math.Pow(4, level - 1), 0.3);
                (mSum, uSum) = (mSum + m[k][level], uSum + u[k][level]);
            }

            var last = comparison.LevelCount - 1;
            m[k][last] = Math.Max(1 - mSum, 0.01);
            u[k][last] = Math.Max(1 - uSum, 0.01);
        }

        return new FellegiSunterParameters(Lambda, m, u);
    }
}
