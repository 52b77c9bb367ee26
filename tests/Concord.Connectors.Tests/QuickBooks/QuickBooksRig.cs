using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Concord.Connectors.QuickBooks;
using Concord.Core.Configuration;
using Concord.Core.Sync;
using Concord.Engine.Connectors;
using Concord.Engine.Intake;
using Concord.Engine.Storage;
using Concord.Sandboxes.QuickBooks;
using Concord.Testing;

namespace Concord.Connectors.Tests.QuickBooks;

/// <summary>A QuickBooks sandbox and one configured system's connector parts, with in-memory links and credentials.</summary>
internal sealed class QuickBooksRig : IAsyncDisposable
{
    public static readonly Dictionary<string, string> Secrets = new()
    {
        ["QB_CLIENT_SECRET"] = "qb-secret",
        ["QB_REFRESH_TOKEN"] = "rt-initial",
        ["QB_VERIFIER"] = "qb-verifier",
        ["CRM_SECRET"] = "crm-secret",
    };

    private QuickBooksRig(QuickBooksSandbox sandbox) => Sandbox = sandbox;

    public QuickBooksSandbox Sandbox { get; }

    public SystemConfig System { get; private set; } = null!;

    public MemoryCredentials Credentials { get; } = new();

    public MemoryLinks Links { get; } = new();

    public ConcurrentQueue<string> PollRequests { get; } = new();

    public HttpClient Http { get; } = new();

    public ConnectorContext Context { get; private set; } = null!;

    public SystemConnectors Parts { get; private set; } = null!;

    public IOutboundConnector Outbound => Parts.Outbound!;

    public IInboundConnector Inbound => Parts.Inbound!;

    public IPoller Poller => Parts.Poller!;

    public IVerifier Verifier => Parts.Verifier!;

    /// <summary>The hub configuration: a generic <c>crm</c> system and QuickBooks as <c>qbo</c>, syncing all three types.</summary>
    public static string Yaml(QuickBooksSandbox sandbox, string extraSettings = "", string realm = "") => $$"""
        version: 1
        systems:
          crm:
            kind: webhook
            settings: { secret: { env: CRM_SECRET } }
          qbo:
            kind: quickbooks
            settings:
              client_id: {{sandbox.ClientId}}
              client_secret: { env: QB_CLIENT_SECRET }
              refresh_token: { env: QB_REFRESH_TOKEN }
              realm_id: "{{(realm.Length > 0 ? realm : sandbox.RealmId)}}"
              base_url: {{sandbox.Url}}
              token_url: {{sandbox.TokenUrl}}
              verifier_token: { env: QB_VERIFIER }
              poll_interval: 1s
        {{extraSettings}}
            retry: { max_attempts: 5, initial_delay: 50ms, max_delay: 200ms, timeout: 5s }
        entities:
          customer: { owner: qbo, fill_in: true, identity: [email] }
          invoice: { owner: qbo, fill_in: true }
          payment: { owner: qbo, fill_in: true }
        syncs:
          - { system: crm, type: customer, direction: pull }
          - { system: crm, type: invoice, direction: pull }
          - { system: crm, type: payment, direction: pull }
          - { system: qbo, type: customer, direction: two-way }
          - { system: qbo, type: invoice, direction: two-way }
          - { system: qbo, type: payment, direction: two-way }
        """;

    public static async Task<QuickBooksRig> StartAsync(TimeProvider? time = null, string extraSettings = "", string realm = "", bool xsd = false)
    {
        var sandbox = new QuickBooksSandbox("qbo", xsdFolder: xsd ? Path.GetDirectoryName(RepoPaths.VendorSpec("quickbooks/IntuitRestServiceDef.xsd")) : null);
        await sandbox.StartAsync();
        var rig = new QuickBooksRig(sandbox);
        var config = TestConfigs.Load(Yaml(sandbox, extraSettings, realm), Secrets.GetValueOrDefault);
        rig.System = config.Systems["qbo"];
        rig.Context = new ConnectorContext
        {
            Http = rig.Http,
            Time = time ?? TimeProvider.System,
            Intake = new ChangeIntake(new SyncPlan(config), time ?? TimeProvider.System),
            Links = rig.Links,
            Credentials = rig.Credentials,
            RequestPoll = rig.PollRequests.Enqueue,
            Environment = Secrets.GetValueOrDefault,
        };
        rig.Parts = new QuickBooksConnector.Kind().Create(rig.System, rig.Context);
        return rig;
    }

    public static Delivery Delivery(string type, JsonObject fields, string? externalId = null, string operation = "upsert", string? key = null, string recordId = "rec_1") => new()
    {
        Id = 1,
        System = "qbo",
        Type = type,
        RecordId = recordId,
        Version = 1,
        Operation = operation,
        Payload = fields.ToJsonString(),
        Changed = new JsonArray([.. fields.Select(f => (JsonNode)f.Key)]).ToJsonString(),
        IdempotencyKey = key ?? Guid.NewGuid().ToString("N"),
        CorrelationId = "chg_1",
        ExternalId = externalId,
    };

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Sandbox.DisposeAsync();
    }
}

