using System.Text;
using Concord.Core.Sync;
using Concord.Engine.Identity;
using Concord.Engine.Intake;
using Concord.Engine.Processing;
using Concord.Storage.Sqlite;
using Concord.Testing;

namespace Concord.Engine.Tests;

/// <summary>
/// A SQLite store and the resolve → apply → emit stage for one configuration, on a manual clock:
/// changes are accepted and processed synchronously, so a test reads the result right after.
/// </summary>
internal sealed class PipelineRig : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();

    private PipelineRig(string yaml, bool matchOnArrival)
    {
        Plan = new SyncPlan(TestConfigs.Load(yaml, _ => "secret"));
        Store = new SqliteHubStore(_dir.File("hub.db"), durable: false, Time);
        Intake = new ChangeIntake(Plan, Time);
        Merger = new RecordMerger(Plan, Time);
        Matcher = new RecordMatcher(Plan.Config);
        Processor = new ChangeProcessor(Plan, new DeterministicResolver(Time), Time, matchOnArrival ? new MatchStage(Matcher, Merger, Time) : null);
    }

    public ManualTimeProvider Time { get; } = new();

    public SyncPlan Plan { get; }

    public SqliteHubStore Store { get; }

    public ChangeIntake Intake { get; }

    public ChangeProcessor Processor { get; }

    public RecordMerger Merger { get; }

    public RecordMatcher Matcher { get; }

    /// <summary>
    /// A rig for <paramref name="yaml"/>; without <paramref name="matchOnArrival"/> the probabilistic
    /// step is left out, as for records imported before matching was on.
    /// </summary>
    public static async Task<PipelineRig> StartAsync(string yaml, bool matchOnArrival = true)
    {
        var rig = new PipelineRig(yaml, matchOnArrival);
        await rig.Store.InitializeAsync(default);
        return rig;
    }

    /// <summary>Accepts a change batch from <paramref name="system"/>, processes the inbox, then moves the clock one second.</summary>
    public async Task SendAsync(string system, string json)
    {
        await Store.AppendAsync(Intake.ParseBatch(system, Encoding.UTF8.GetBytes(json), "api"), default);
        await Store.ProcessInboxAsync(100, (tx, batch) => Processor.Process(tx, batch), default);
        Time.Advance(TimeSpan.FromSeconds(1));
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _dir.Dispose();
    }
}
