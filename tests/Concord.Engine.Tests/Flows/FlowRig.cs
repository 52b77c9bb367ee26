using System.Text;
using System.Text.Json.Nodes;
using Concord.Connectors;
using Concord.Core.Configuration;
using Concord.Core.Flows.Model;
using Concord.Engine.Flows;
using Concord.Engine.Hosting;
using Concord.Engine.Storage;
using Concord.Storage.Sqlite;
using Concord.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Concord.Engine.Tests.Flows;

/// <summary>
/// A whole hub runtime with flows on a SQLite file: <c>crm</c> owns customers and payments (two-way
/// customers), <c>billing</c> contributes invoices, <c>sink</c> receives customers and invoices; every
/// system's URL is a <see cref="RecordingSink"/> on loopback.
/// </summary>
internal sealed class FlowRig : IAsyncDisposable
{
    public const string Secret = "rig-secret";

    private readonly TempDirectory _dir = new();
    private readonly IEnumerable<IStepHandler>? _handlers;
    private readonly HttpClient _http = new();
    private bool _stopped;

    private FlowRig(HubConfig config, RecordingSink sink, TimeProvider time, IEnumerable<IStepHandler>? handlers)
    {
        Config = config;
        Sink = sink;
        Time = time;
        _handlers = handlers;
        Store = new SqliteHubStore(_dir.File("hub.db"), durable: false, time);
        Runtime = NewRuntime();
    }

    public HubConfig Config { get; }

    public RecordingSink Sink { get; }

    public TimeProvider Time { get; }

    public SqliteHubStore Store { get; }

    public HubRuntime Runtime { get; private set; }

    public FlowEngine Flows => Runtime.Flows;

    public static string Yaml(string sinkUrl, int maxDepth = 5) => $$"""
        version: 1
        systems:
          crm:
            kind: http
            settings: { url: "{{sinkUrl}}/crm", webhook_secret: { env: S } }
            retry: { max_attempts: 3, initial_delay: 50ms, max_delay: 100ms, timeout: 2s }
          billing:
            kind: http
            settings: { url: "{{sinkUrl}}/billing", webhook_secret: { env: S } }
          sink:
            kind: http
            settings: { url: "{{sinkUrl}}/sink" }
            retry: { max_attempts: 3, initial_delay: 50ms, max_delay: 100ms, timeout: 2s }
        entities:
          customer: { owner: crm, identity: [email] }
          payment: { owner: crm }
          invoice: { owner: billing }
        syncs:
          - { system: crm, type: customer, direction: two-way }
          - { system: crm, type: payment, direction: pull }
          - { system: billing, type: invoice, direction: pull }
          - { system: sink, type: customer, direction: push }
          - { system: sink, type: invoice, direction: push }
        """;

    /// <summary>A rig with <paramref name="flows"/>; started (runner, scheduler, dispatchers) unless <paramref name="start"/> is false.</summary>
    public static async Task<FlowRig> StartAsync(IEnumerable<FlowConfig> flows, TimeProvider? time = null, IEnumerable<IStepHandler>? handlers = null,
        bool start = true, int maxDepth = 5)
    {
        var sink = await RecordingSink.StartAsync();
        var config = TestConfigs.Load(Yaml(sink.Url), _ => Secret);
        config.FlowSettings.MaxDepth = maxDepth;
        foreach (var flow in flows)
        {
            config.Flows[flow.Name] = flow;
        }

        var rig = new FlowRig(config, sink, time ?? TimeProvider.System, handlers);
        await rig.Store.InitializeAsync(default);
        if (start)
        {
            rig.Runtime.Start();
        }

        return rig;
    }

    private HubRuntime NewRuntime() =>
        new(Config, Store, new ConnectorCatalog(), _http, Time, NullLoggerFactory.Instance, environment: _ => Secret, stepHandlers: _handlers);

    /// <summary>Stops the runtime as a crash would: whatever is under way is abandoned where it stands.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await Runtime.DisposeAsync();
        }
    }

    /// <summary>Stops the runtime (unless it was) and starts a new one on the same store.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        Runtime = NewRuntime();
        _stopped = false;
        Runtime.Start();
    }

    /// <summary>Accepts a change batch from a system, as the API does.</summary>
    public Task AcceptAsync(string system, string json) =>
        Runtime.AcceptAsync(Runtime.Intake.ParseBatch(system, Encoding.UTF8.GetBytes(json), "api"), default);

    /// <summary>Creates or updates a customer in the crm; returns the golden id.</summary>
    public async Task<string> CustomerAsync(string externalId, string fields)
    {
        await AcceptAsync("crm", $$"""{"type":"customer","external_id":"{{externalId}}","fields":{{fields}}}""");
        return (await Store.SearchAsync("customer", externalId, 5, default)).Single().Id;
    }

    /// <summary>Starts a manual run and waits for it to finish.</summary>
    public async Task<FlowRun> RunAsync(string flow, string input = "{}")
    {
        var run = await Flows.StartManualAsync(flow, (JsonObject)JsonNode.Parse(input)!, "tests", default);
        return await FinishedAsync(run.Id);
    }

    public async Task<FlowRun> FinishedAsync(string runId)
    {
        var run = await Flows.WaitForRunAsync(runId, TimeSpan.FromSeconds(20), default);
        Assert.NotNull(run);
        Assert.True(run.IsFinished, $"run {runId} did not finish: {run.Status} at {run.Step}: {run.Error}");
        return run;
    }

    public async Task<IReadOnlyList<FlowRun>> RunsAsync(string? flow = null) =>
        [.. (await Store.QueryFlowRunsAsync(new FlowRunQuery(Flow: flow, Limit: 1000), default)).OrderBy(r => r.Sequence)];

    public async Task<Dictionary<string, FlowStepState>> StepsAsync(string runId) =>
        (await Store.GetFlowStepsAsync(runId, default)).ToDictionary(s => s.StepId);

    public async Task<JsonObject> OutputAsync(string runId, string step) =>
        (JsonObject)JsonNode.Parse((await StepsAsync(runId))[step].Output!)!;

    public async Task<FlowRun> RunUntilAsync(string runId, Func<FlowRun, bool> condition, string what) =>
        await Eventually.GetAsync(async () => await Store.GetFlowRunAsync(runId, default) is { } run && condition(run) ? run : null, what);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Store.DisposeAsync();
        await Sink.DisposeAsync();
        _http.Dispose();
        _dir.Dispose();
    }
}
