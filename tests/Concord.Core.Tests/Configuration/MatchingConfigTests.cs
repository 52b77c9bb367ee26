using Concord.Core.Configuration;
using Concord.Core.Matching;

namespace Concord.Core.Tests.Configuration;

/// <summary><c>matching:</c> per entity type: defaults, off, model and thresholds, and mistakes located.</summary>
public class MatchingConfigTests
{
    private static ConfigLoadResult Load(string entity) => ConfigLoader.Load("entities:\n" + entity);

    [Fact]
    public void People_and_businesses_are_matched_by_default_other_types_are_not()
    {
        var config = Load("  customer: {}\n  company: {}\n  invoice: {}\n").Config;
        Assert.Equal("customer", config.Entities["customer"].Matching!.Model);
        Assert.Equal("company", config.Entities["company"].Matching!.Model);
        Assert.Equal(MatchThresholds.DefaultMerge, config.Entities["customer"].Matching!.Merge);
        Assert.Null(config.Entities["invoice"].Matching);
    }

    [Fact]
    public void Off_turns_matching_off()
    {
        var loaded = Load("  customer: { matching: off }\n");
        Assert.Empty(loaded.Problems);
        Assert.False(loaded.Config.Entities["customer"].Matching!.Enabled);
    }

    [Fact]
    public void A_model_and_thresholds_can_be_chosen()
    {
        var loaded = Load("  customer:\n    matching: { model: company, merge: 0.9, review: 0.6 }\n");
        Assert.Empty(loaded.Problems);
        var matching = loaded.Config.Entities["customer"].Matching!;
        Assert.Equal("company", matching.Model);
        Assert.Equal(new MatchThresholds(0.9, 0.6), matching.ResolveModel()!.Thresholds);
    }

    [Fact]
    public void A_review_threshold_above_the_merge_threshold_is_reported_on_its_line()
    {
        var problem = Assert.Single(Load("  customer:\n    matching:\n      merge: 0.8\n      review: 0.9\n").Problems);
        Assert.Equal("matching-thresholds", problem.Code);
        Assert.Equal(5, problem.At.Line);
    }

    [Theory]
    [InlineData("  customer: { matching: { merge: 1.5 } }\n", "matching-thresholds")]
    [InlineData("  customer: { matching: { model: robots } }\n", "matching-model")]
    [InlineData("  invoice: { matching: on }\n", "matching-model")]
    [InlineData("  customer: { matching: sometimes }\n", "matching")]
    [InlineData("  customer: { matching: { merge: 0.9, treshold: 0.5 } }\n", "unknown-key")]
    public void Mistakes_are_problems(string entity, string code)
    {
        Assert.Contains(code, Load(entity).Problems.Select(p => p.Code));
    }
}
