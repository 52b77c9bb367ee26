using Concord.Connectors;
using Concord.Core.Configuration;

namespace Concord.Testing;

/// <summary>Builds configurations from YAML the way the hub does, failing the test on any problem.</summary>
public static class TestConfigs
{
    public static HubConfig Load(string yaml, Func<string, string?>? environment = null)
    {
        var loaded = ConfigLoader.Load(yaml);
        var problems = loaded.Problems.Concat(loaded.HasErrors ? [] : new ConfigValidator(new ConnectorCatalog()).Validate(loaded.Config, environment))
            .Where(p => p.Severity == ProblemSeverity.Error).ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("test configuration is invalid:\n" + string.Join("\n", problems));
        }

        return loaded.Config;
    }

    /// <summary>
    /// Two systems: <c>crm</c> (two-way, owns customers, posts signed webhooks) and <c>sink</c>
    /// (push), both delivering over HTTP. Fast retries so fault tests finish quickly.
    /// </summary>
    public static string TwoSystems(string crmUrl, string sinkUrl, string retry = "{ max_attempts: 6, initial_delay: 50ms, max_delay: 200ms, timeout: 2s }") => $$"""
        version: 1
        systems:
          crm:
            kind: http
            settings:
              url: {{crmUrl}}
              webhook_secret: { env: CRM_WEBHOOK_SECRET }
            retry: {{retry}}
          sink:
            kind: http
            settings:
              url: {{sinkUrl}}
              signing_secret: { env: SINK_SIGNING_SECRET }
            retry: {{retry}}
            circuit_breaker: { failure_threshold: 1000, break_duration: 1s }
        entities:
          customer:
            owner: crm
            identity: [email]
        syncs:
          - { system: crm, type: customer, direction: two-way }
          - { system: sink, type: customer, direction: push }
        """;

    public static readonly IReadOnlyDictionary<string, string> Secrets = new Dictionary<string, string>
    {
        ["CRM_WEBHOOK_SECRET"] = "crm-webhook-secret-for-tests",
        ["SINK_SIGNING_SECRET"] = "sink-signing-secret-for-tests",
    };
}
