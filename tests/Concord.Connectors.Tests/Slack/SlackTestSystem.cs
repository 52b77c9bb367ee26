using Concord.Connectors.Slack;
using Concord.Core.Configuration;
using Concord.Core.Sync;
using Concord.Engine.Connectors;
using Concord.Engine.Intake;
using Concord.Engine.Storage;

namespace Concord.Connectors.Tests.Slack;

/// <summary>Builds a configured <c>slack</c> system's parts the way the hub does, from settings and secrets.</summary>
internal static class SlackTestSystem
{
    public static SystemConnectors Create(HttpClient http, IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> secrets, TimeProvider? time = null)
    {
        var system = new SystemConfig { Name = "team", Kind = "slack" };
        foreach (var (k, v) in settings)
        {
            system.Settings[k] = new SettingValue(v, SourceSpan.None);
        }

        foreach (var k in secrets.Keys)
        {
            system.Secrets[k] = new SecretRef("TEAM_" + k.ToUpperInvariant(), SourceSpan.None);
        }

        var context = new ConnectorContext
        {
            Http = http,
            Time = time ?? TimeProvider.System,
            Intake = new ChangeIntake(new SyncPlan(new HubConfig()), time ?? TimeProvider.System),
            Links = new NoLinks(),
            Credentials = new NoCredentials(),
            Environment = name => secrets.FirstOrDefault(s => "TEAM_" + s.Key.ToUpperInvariant() == name).Value,
        };
        return new SlackConnector.Kind().Create(system, context);
    }

    public static Delivery Delivery(string type, string payload, string changed, string operation = "upsert", long version = 2, string key = "rec_1.v2.team") => new()
    {
        Id = 1,
        System = "team",
        Type = type,
        RecordId = "rec_1",
        Version = version,
        Operation = operation,
        Payload = payload,
        Changed = changed,
        IdempotencyKey = key,
        CorrelationId = "chg_1",
    };

    private sealed class NoLinks : ILinkLookup
    {
        public Task<string?> ExternalIdAsync(string system, string recordId, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
    }

    private sealed class NoCredentials : ICredentialStore
    {
        public Task<string?> GetAsync(string system, string key, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

        public Task SetAsync(string system, string key, string value, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
