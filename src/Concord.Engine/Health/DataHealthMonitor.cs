using Concord.Core.Configuration;
using Concord.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Concord.Engine.Health;

/// <summary>
/// Measures data health every <c>health.every</c> and keeps each measurement in the history; answers
/// the API and the alert signal from the latest measurement while it is fresh enough, measuring again
/// otherwise. One measurement runs at a time: concurrent callers wait for it and share it.
/// <paramref name="catalog"/> tells which systems only get told about records (see <see cref="HealthSpecs"/>).
/// </summary>
public sealed class DataHealthMonitor(HubConfig config, IHubStore store, TimeProvider time, ILogger logger, IConnectorCatalog? catalog = null)
{
    private readonly DataHealthMeter _meter = new(config, store, catalog);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DataHealthReport? _latest;
    private DateTimeOffset _thinnedAt = DateTimeOffset.MinValue;

    /// <summary>The latest measurement, or null before the first.</summary>
    public DataHealthReport? Latest => Volatile.Read(ref _latest);

    /// <summary>Measures now.</summary>
    public async Task<DataHealthReport> MeasureAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await MeasureLockedAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The latest measurement when it is younger than <paramref name="maxAge"/>, else a new one.</summary>
    public async Task<DataHealthReport> CurrentAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        if (Fresh(maxAge) is { } fresh)
        {
            return fresh;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have measured while this one waited.
            return Fresh(maxAge) ?? await MeasureLockedAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Measures and keeps the measurement in the history (what the loop does every <c>health.every</c>).</summary>
    public async Task<DataHealthReport> RecordAsync(CancellationToken cancellationToken)
    {
        var report = await MeasureAsync(cancellationToken);
        await store.AddHealthSampleAsync(report.At, HealthHistory.Points(report), cancellationToken);
        if (report.At - _thinnedAt >= TimeSpan.FromHours(1))
        {
            await store.ThinHealthHistoryAsync(report.At - HealthHistory.FullResolution, report.At - HealthHistory.Kept, cancellationToken);
            _thinnedAt = report.At;
        }

        return report;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var report = await RecordAsync(cancellationToken);
                if (report.BelowTarget.Count > 0)
                {
                    logger.LogInformation("Data health below target: {Subjects}", string.Join(", ", report.BelowTarget));
                }

                await Task.Delay(config.Health.Every, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Measuring data health failed");
                await Task.Delay(config.Health.Every, time, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private DataHealthReport? Fresh(TimeSpan maxAge) => Latest is { } latest && time.GetUtcNow() - latest.At < maxAge ? latest : null;

    private async Task<DataHealthReport> MeasureLockedAsync(CancellationToken cancellationToken)
    {
        var report = await _meter.MeasureAsync(time.GetUtcNow(), cancellationToken);
        Volatile.Write(ref _latest, report);
        return report;
    }
}
