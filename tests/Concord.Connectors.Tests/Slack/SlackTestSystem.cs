using Concord.Connectors.Slack;
using Concord.Core.Configuration;
using Concord.Core.Sync;
using Concord.Engine.Connectors;
using Concord.Engine.Intake;
using Concord.Engine.Storage;
using Concord.Testing;

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
            Links = new MemoryLinks(),
            Credentials = new MemoryCredentials(),
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
}
