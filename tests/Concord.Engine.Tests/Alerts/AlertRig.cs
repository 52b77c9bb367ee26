using System.Collections.Concurrent;
using Concord.Core.Alerts;
using Concord.Core.Configuration;
using Concord.Engine.Alerts;
using Concord.Engine.Connectors;
using Concord.Storage.Sqlite;
using Concord.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Concord.Engine.Tests.Alerts;

/// <summary>A SQLite store on a manual clock with an alert monitor and outbox over it, for one configuration.</summary>
internal sealed class AlertRig : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();

    private AlertRig(HubConfig config, IEnumerable<IAlertSignal> signals, Dictionary<string, INotifier> notifiers)
    {
        Config = config;
        Store = new SqliteHubStore(_dir.File("hub.db"), durable: false, Time);
        Notifiers = notifiers;
        Outbox = new AlertOutbox(Store, notifiers, Time, NullLogger.Instance, new Random(7));
        Monitor = new AlertMonitor(config, Store, signals, notifiers, Time, NullLogger.Instance);
    }

    public ManualTimeProvider Time { get; } = new();

    public HubConfig Config { get; }

    public SqliteHubStore Store { get; }

    public Dictionary<string, INotifier> Notifiers { get; }

    public AlertMonitor Monitor { get; }

    public AlertOutbox Outbox { get; }

    public static async Task<AlertRig> StartAsync(string yaml, IEnumerable<IAlertSignal> signals, Dictionary<string, INotifier>? notifiers = null)
    {
        var rig = new AlertRig(TestConfigs.Load(yaml, _ => "secret"), signals, notifiers ?? []);
        await rig.Store.InitializeAsync(default);
        return rig;
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>A signal whose causes a test sets.</summary>
internal sealed class ScriptedSignal(AlertRuleKind kind) : IAlertSignal
{
    public List<AlertCause> Causes { get; } = [];

    public bool Throw { get; set; }

    public AlertRuleKind Kind => kind;

    public Task<IReadOnlyList<AlertCause>> EvaluateAsync(AlertRule rule, DateTimeOffset now, CancellationToken cancellationToken) =>
        Throw ? throw new InvalidOperationException("figures unavailable") : Task.FromResult<IReadOnlyList<AlertCause>>(Causes.ToList());
}

/// <summary>A notifier that records what it was asked to send, and fails the first <see cref="FailNext"/> times.</summary>
internal sealed class RecordingNotifier(params string[] arguments) : INotifier
{
    public ConcurrentQueue<Notification> Sent { get; } = new();

    public int FailNext { get; set; }

    public bool Permanent { get; set; }

    public IReadOnlyList<string> Arguments => arguments;

    public Task<NotifyResult> NotifyAsync(Notification notification, CancellationToken cancellationToken)
    {
        if (FailNext > 0)
        {
            FailNext--;
            throw new DeliveryFailedException("the server answered 503", 503, "down", retryable: !Permanent);
        }

        Sent.Enqueue(notification);
        return Task.FromResult(new NotifyResult(200, notification.Args.ToJsonString(), "ok"));
    }
}
