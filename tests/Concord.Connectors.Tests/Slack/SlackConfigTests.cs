using Concord.Connectors;
using Concord.Core.Configuration;

namespace Concord.Connectors.Tests.Slack;

/// <summary><c>concord validate</c> catches a Slack system that cannot post, before the hub starts.</summary>
public sealed class SlackConfigTests
{
    private static List<ConfigProblem> Problems(string settings)
    {
        var yaml = $$"""
            version: 1
            systems:
              crm: { kind: webhook, settings: { secret: { env: CRM } } }
              alerts:
                kind: slack
                settings: {{{settings}}}
            entities:
              customer: { owner: crm }
            syncs:
              - { system: crm, type: customer, direction: pull }
              - { system: alerts, type: customer, direction: push }
            """;
        var loaded = ConfigLoader.Load(yaml);
        Assert.Empty(loaded.Problems);
        return new ConfigValidator(new ConnectorCatalog()).Validate(loaded.Config).Where(p => p.Code == "bad-settings").ToList();
    }

    [Theory]
    [InlineData("webhook_url: { env: HOOK }, bot_token: { env: BOT }, channel: C1", "has both webhook_url and bot_token")]
    [InlineData("channel: C1", "needs webhook_url (an incoming webhook) or bot_token with channel")]
    [InlineData("bot_token: { env: BOT }", "has a bot_token but no channel")]
    public void AWrongMode_IsReportedAtTheSystem(string settings, string expected)
    {
        var problem = Assert.Single(Problems(settings));
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
        Assert.Equal(4, problem.At.Line);
    }

    [Theory]
    [InlineData("webhook_url: { env: HOOK }")]
    [InlineData("bot_token: { env: BOT }, channel: C1")]
    public void EitherMode_Alone_IsAccepted(string settings) => Assert.Empty(Problems(settings));
}
