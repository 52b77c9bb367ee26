using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Concord.Engine.Alerts.Shapes;

/// <summary>One learned field: its path, its kinds ("string", "string or number", "null") and the share of learned payloads that had it.</summary>
public sealed record ShapeField(string Path, string Kinds, double Share);

/// <summary>One learned shape as people see it: its fields and what drifted.</summary>
/// <param name="System">The system the payloads came from.</param>
/// <param name="Type">The entity type they carried.</param>
/// <param name="Samples">Payloads learned.</param>
/// <param name="Learned">Enough payloads were seen to judge drift.</param>
/// <param name="LearnedAt">When that happened.</param>
/// <param name="AcceptedAt">When an operator last accepted a new shape.</param>
/// <param name="Fields">The learned fields, by path.</param>
/// <param name="Drift">How the recent payloads differ; empty when they match.</param>
public sealed record ShapeReport(
    string System, string Type, long Samples, bool Learned, DateTimeOffset? LearnedAt, DateTimeOffset? AcceptedAt,
    IReadOnlyList<ShapeField> Fields, IReadOnlyList<ShapeDrift> Drift);

/// <summary>
/// Learns the shape of each system's payloads per entity type as changes are accepted, from the vendor's own
/// object (<see cref="InboundChange.VendorObject"/>), and says how recent payloads drift from it. Cheap on the
/// accept path: a payload is fingerprinted in one pass over its names, and only a structure not seen before is
/// taken apart into paths. What is learned is saved every half minute when it changed, and read back at start.
/// </summary>
public sealed class ShapeLearner(ISchemaShapeStore store, TimeProvider time, int minSamples, ILogger logger)
{
    private static readonly TimeSpan SaveEvery = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<(string System, string Type), ShapeModel> _models = new();

    public int MinSamples { get; } = minSamples;

    /// <summary>Takes in the accepted changes that carry the vendor's whole object; duplicates (by outcome) are skipped.</summary>
    public void Observe(IReadOnlyList<InboundChange> changes, IReadOnlyList<AcceptOutcome>? outcomes = null)
    {
        DateTimeOffset? now = null;
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            if (change.VendorObject is not { } payload || change.Change.Deleted
                || (outcomes is not null && outcomes.Count == changes.Count && outcomes[i].Duplicate))
            {
                continue;
            }

            now ??= time.GetUtcNow();
            Observe(change.Change.System, change.Change.Type, payload, now.Value);
        }
    }

    public void Observe(string system, string type, JsonObject payload, DateTimeOffset now)
    {
        var signature = PayloadShape.Signature(payload);
        var model = _models.GetOrAdd((system, type), key => new ShapeModel(key.System, key.Type));
        lock (model)
        {
            model.Observe(payload, signature, now, MinSamples);
        }
    }

    /// <summary>Every shape, by system and type.</summary>
    public IReadOnlyList<ShapeReport> Shapes()
    {
        var now = time.GetUtcNow();
        return _models.Values.OrderBy(m => m.System, StringComparer.Ordinal).ThenBy(m => m.Type, StringComparer.Ordinal).Select(m => Report(m, now)).ToList();
    }

    public ShapeReport? Shape(string system, string type) => _models.TryGetValue((system, type), out var model) ? Report(model, time.GetUtcNow()) : null;

    /// <summary>Re-learns the shape from the recent payloads (an operator accepts the vendor's change); null when nothing was learned for the pair.</summary>
    public async Task<ShapeReport?> AcceptAsync(string system, string type, CancellationToken cancellationToken)
    {
        if (!_models.TryGetValue((system, type), out var model))
        {
            return null;
        }

        var now = time.GetUtcNow();
        lock (model)
        {
            model.Accept(now, MinSamples);
        }

        await SaveAsync(cancellationToken);
        return Report(model, now);
    }

    private ShapeReport Report(ShapeModel model, DateTimeOffset now)
    {
        lock (model)
        {
            var drift = model.Drift(now, MinSamples);
            var fields = model.Paths.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new ShapeField(p.Key, ShapeDrift.Names(p.Value.Kinds), model.Samples == 0 ? 0 : Math.Round((double)p.Value.Seen / model.Samples, 4)))
                .ToList();
            return new ShapeReport(model.System, model.Type, model.Samples, model.Learned(MinSamples), model.LearnedAt, model.AcceptedAt, fields, drift);
        }
    }

    /// <summary>Reads back what was learned before a restart.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        foreach (var stored in await store.GetShapesAsync(cancellationToken))
        {
            try
            {
                _models[(stored.System, stored.Type)] = Read(stored);
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or FormatException)
            {
                logger.LogWarning("The learned shape of {System} {Type} could not be read ({Error}); it is learned again", stored.System, stored.Type, ex.Message);
            }
        }
    }

    /// <summary>Writes the shapes that changed since they were last written.</summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var changed = new List<StoredShape>();
        foreach (var model in _models.Values)
        {
            lock (model)
            {
                model.Drift(now, MinSamples);
                if (model.Dirty)
                {
                    changed.Add(new StoredShape(model.System, model.Type, Write(model), now));
                    model.Dirty = false;
                }
            }
        }

        if (changed.Count > 0)
        {
            await store.SaveShapesAsync(changed, cancellationToken);
        }
    }

    /// <summary>Saves what changed every half minute until stopped, and once more at the end.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(SaveEvery, time, cancellationToken);
                await SaveAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Saving learned payload shapes failed");
            }
        }

        try
        {
            await SaveAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning("Saving learned payload shapes at stop failed: {Error}", ex.Message);
        }
    }

    private static string Write(ShapeModel model)
    {
        var paths = new JsonObject();
        foreach (var (path, stat) in model.Paths)
        {
            paths[path] = new JsonObject { ["seen"] = stat.Seen, ["kinds"] = KindsText(stat.Kinds) };
        }

        var recent = new JsonArray();
        foreach (var shape in model.Recent)
        {
            var o = new JsonObject();
            foreach (var (path, kind) in shape.Paths)
            {
                o[path] = KindsText(kind);
            }

            recent.Add(o);
        }

        var since = new JsonObject();
        foreach (var (key, at) in model.DriftSince)
        {
            since[key] = at.ToString("O", CultureInfo.InvariantCulture);
        }

        return new JsonObject
        {
            ["samples"] = model.Samples,
            ["learned_at"] = model.LearnedAt?.ToString("O", CultureInfo.InvariantCulture),
            ["accepted_at"] = model.AcceptedAt?.ToString("O", CultureInfo.InvariantCulture),
            ["paths"] = paths,
            ["recent"] = recent,
            ["drift_since"] = since,
        }.ToJsonString();
    }

    private static ShapeModel Read(StoredShape stored)
    {
        var doc = JsonNode.Parse(stored.Document)!.AsObject();
        var model = new ShapeModel(stored.System, stored.Type)
        {
            LearnedAt = Time(doc["learned_at"]),
            AcceptedAt = Time(doc["accepted_at"]),
        };
        var paths = doc["paths"]!.AsObject().Select(p => KeyValuePair.Create(p.Key, ((long)p.Value!["seen"]!, ParseKinds((string)p.Value!["kinds"]!))));
        var recent = doc["recent"]!.AsArray().Select(s => PayloadShape.From(s!.AsObject().Select(p => KeyValuePair.Create(p.Key, ParseKinds((string)p.Value!)))));
        model.Restore((long)doc["samples"]!, paths, recent);
        foreach (var (key, at) in doc["drift_since"]?.AsObject() ?? [])
        {
            model.DriftSince[key] = Time(at)!.Value;
        }

        return model;
    }

    private static DateTimeOffset? Time(JsonNode? node) =>
        node is null ? null : DateTimeOffset.Parse((string)node!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static string KindsText(ShapeKinds kinds) => kinds == ShapeKinds.None ? "null" : kinds.ToString().ToLowerInvariant().Replace(", ", "|", StringComparison.Ordinal);

    private static ShapeKinds ParseKinds(string text) =>
        text == "null" ? ShapeKinds.None : text.Split('|').Aggregate(ShapeKinds.None, (k, name) => k | Enum.Parse<ShapeKinds>(name, ignoreCase: true));
}
