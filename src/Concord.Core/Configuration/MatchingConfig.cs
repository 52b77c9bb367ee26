using Concord.Core.Matching;
using YamlDotNet.RepresentationModel;

namespace Concord.Core.Configuration;

/// <summary>
/// How the probabilistic matcher treats an entity type (<c>matching:</c>): which model scores a
/// pair, and the two thresholds that turn a match probability into merge, review or keep apart.
/// A type with a default model (people, businesses) is matched unless the file says
/// <c>matching: off</c>.
/// </summary>
public sealed class MatchingConfig
{
    /// <summary>Whether incoming records of the type are matched at all.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The model's name (<c>customer</c> for people, <c>company</c> for businesses).</summary>
    public required string Model { get; init; }

    /// <summary>At or above: merged without asking.</summary>
    public double Merge { get; init; } = MatchThresholds.DefaultMerge;

    /// <summary>At or above (and below <see cref="Merge"/>): a possible-duplicate finding for a person to decide.</summary>
    public double Review { get; init; } = MatchThresholds.DefaultReview;

    public SourceSpan At { get; init; }

    /// <summary>The thresholds as the matcher takes them.</summary>
    public MatchThresholds Thresholds => new(Merge, Review);

    /// <summary>The model with this configuration's thresholds, or null when the model is unknown.</summary>
    public MatchModel? ResolveModel() => MatchModels.For(Model) is { } model ? model with { Thresholds = Thresholds } : null;

    /// <summary>The default for a type: its default model, or none (off) when it has none.</summary>
    public static MatchingConfig? DefaultFor(string type) =>
        MatchModels.For(type) is { } model ? new MatchingConfig { Model = model.EntityType } : null;

    /// <summary>Reads <c>matching:</c> of <paramref name="type"/>: <c>off</c>, or a mapping with model and thresholds.</summary>
    internal static MatchingConfig? Read(YamlNav nav, YamlNode node, string type)
    {
        var fallback = DefaultFor(type);
        if (node is YamlScalarNode scalar)
        {
            bool? said = scalar.Value switch { "off" or "false" => false, "on" or "true" => true, _ => null };
            if (said is not { } on)
            {
                nav.Error(node, "matching", $"entities.{type}.matching must be off, on, or a mapping, not '{scalar.Value}'",
                    "e.g. `matching: { model: company, merge: 0.95, review: 0.6 }`");
                return fallback;
            }

            if (on && fallback is null)
            {
                nav.Error(node, "matching-model", $"'{type}' has no default match model",
                    "name one: `matching: { model: customer }` for people, `{ model: company }` for businesses");
            }

            return on ? fallback : new MatchingConfig { Enabled = false, Model = fallback?.Model ?? "", At = nav.At(node) };
        }

        if (nav.Mapping(node, $"entities.{type}.matching") is not { } map)
        {
            return fallback;
        }

        nav.OnlyKnownKeys(map, $"entities.{type}.matching", "model", "merge", "review", "enabled");
        var model = fallback?.Model;
        if (YamlNav.Child(map, "model") is { } modelNode && nav.Scalar(modelNode, "model") is { } named)
        {
            if (MatchModels.For(named) is { } known)
            {
                model = known.EntityType;
            }
            else
            {
                nav.Error(modelNode, "matching-model", $"unknown match model '{named}'", "known: customer (people), company (businesses)");
                return fallback;
            }
        }

        if (model is null)
        {
            nav.Error(node, "matching-model", $"'{type}' has no default match model",
                "name one: `model: customer` for people, `model: company` for businesses");
            return null;
        }

        var merge = Probability(nav, map, "merge") ?? MatchThresholds.DefaultMerge;
        var review = Probability(nav, map, "review") ?? Math.Min(MatchThresholds.DefaultReview, merge);
        if (review > merge)
        {
            nav.Error(YamlNav.Child(map, "review")!, "matching-thresholds",
                $"the review threshold ({review:0.###}) is above the merge threshold ({merge:0.###})",
                "pairs at or above `merge` merge on their own, those between `review` and `merge` go to the review queue");
        }

        var enabled = YamlNav.Child(map, "enabled") is not { } e || (nav.Bool(e, "enabled") ?? true);
        return new MatchingConfig { Enabled = enabled, Model = model, Merge = merge, Review = Math.Min(review, merge), At = nav.At(node) };
    }

    private static double? Probability(YamlNav nav, YamlMappingNode map, string key)
    {
        if (YamlNav.Child(map, key) is not { } node || nav.Number(node, key, 0) is not { } value)
        {
            return null;
        }

        if (value is <= 0 or > 1)
        {
            nav.Error(node, "matching-thresholds", $"{key} is a match probability, above 0 and at most 1, not {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            return null;
        }

        return value;
    }
}
