using System.Text.Json.Nodes;

namespace Concord.Engine.Alerts.Shapes;

/// <summary>
/// What has been learned of one system's payloads of one type: per path, in how many payloads it was and with
/// which kinds, and the shapes of the most recent payloads. Until <c>min samples</c> payloads have been seen
/// every payload is learned; after that only payloads that match are (so drift is not learned away), and the
/// recent ones are compared with what was learned. Not thread-safe: the learner locks it.
/// </summary>
public sealed class ShapeModel(string system, string type)
{
    /// <summary>Recent payloads compared with the learned shape.</summary>
    public const int RecentKept = 20;

    /// <summary>A path in at least this share of the learned payloads is expected in every payload.</summary>
    public const double Expected = 0.95;

    /// <summary>A missing field is only judged on this many recent payloads (one odd record is not drift).</summary>
    public const int MissingAfter = 3;

    /// <summary>Distinct shapes remembered with their verdict, at most.</summary>
    private const int KnownKept = 512;

    private readonly Dictionary<ulong, (PayloadShape Shape, long Version, bool Matches)> _known = [];
    private long _version;

    public string System { get; } = system;

    public string Type { get; } = type;

    /// <summary>Payloads learned.</summary>
    public long Samples { get; private set; }

    /// <summary>Per learned path: in how many payloads, and with which kinds.</summary>
    public Dictionary<string, (long Seen, ShapeKinds Kinds)> Paths { get; } = new(StringComparer.Ordinal);

    public Queue<PayloadShape> Recent { get; } = new();

    /// <summary>When each drift (by <see cref="ShapeDrift.Key"/>) was first seen.</summary>
    public Dictionary<string, DateTimeOffset> DriftSince { get; } = new(StringComparer.Ordinal);

    public DateTimeOffset? LearnedAt { get; set; }

    public DateTimeOffset? AcceptedAt { get; set; }

    /// <summary>Changed since it was last saved.</summary>
    public bool Dirty { get; set; }

    public bool Learned(int minSamples) => Samples >= minSamples;

    /// <summary>Takes one payload in; <paramref name="signature"/> is <see cref="PayloadShape.Signature"/> of it.</summary>
    public void Observe(JsonObject payload, ulong signature, DateTimeOffset now, int minSamples)
    {
        var known = _known.TryGetValue(signature, out var k);
        var shape = known ? k.Shape : PayloadShape.Of(payload);
        Dirty = true;
        if (!Learned(minSamples))
        {
            Learn(shape);
            if (Learned(minSamples))
            {
                LearnedAt = now;
            }

            if (!known && _known.Count < KnownKept)
            {
                _known[signature] = (shape, -1, false);
            }

            return;
        }

        bool matches;
        if (known && k.Version == _version)
        {
            matches = k.Matches;
        }
        else
        {
            matches = Matches(shape);
            if (known || _known.Count < KnownKept)
            {
                _known[signature] = (shape, _version, matches);
            }
        }

        if (matches)
        {
            Learn(shape);
        }

        Recent.Enqueue(shape);
        while (Recent.Count > RecentKept)
        {
            Recent.Dequeue();
        }
    }

    /// <summary>Folds a shape into what is learned. A new path or kind, or every thousand payloads (the expected share moves), makes earlier verdicts stale.</summary>
    private void Learn(PayloadShape shape)
    {
        foreach (var (path, kind) in shape.Paths)
        {
            var had = Paths.TryGetValue(path, out var stat);
            if (!had || (stat.Kinds | kind) != stat.Kinds)
            {
                _version++;
            }

            Paths[path] = (stat.Seen + 1, stat.Kinds | kind);
        }

        Samples++;
        if (Samples % 1024 == 0)
        {
            _version++;
        }
    }

    /// <summary>No new path, no new kind, and every expected path there.</summary>
    private bool Matches(PayloadShape shape)
    {
        foreach (var (path, kind) in shape.Paths)
        {
            if (!Paths.TryGetValue(path, out var stat) || !Compatible(stat.Kinds, kind))
            {
                return false;
            }
        }

        foreach (var (path, stat) in Paths)
        {
            if (IsExpected(stat.Seen) && !PayloadShape.InArray(path) && !Has(shape, path))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether a payload has the path, or null where one of its ancestors would be (null is compatible with anything).</summary>
    private static bool Has(PayloadShape shape, string path)
    {
        if (shape.Paths.ContainsKey(path))
        {
            return true;
        }

        for (var i = path.Length - 1; i > 0; i--)
        {
            if (path[i] is '.' or '[' && shape.Paths.TryGetValue(path[..i], out var kind))
            {
                return kind == ShapeKinds.None;
            }
        }

        return false;
    }

    private static bool Compatible(ShapeKinds learned, ShapeKinds seen) => seen == ShapeKinds.None || learned == ShapeKinds.None || (learned & seen) == seen;

    private bool IsExpected(long seen) => Samples > 0 && seen >= Expected * Samples;

    /// <summary>How the recent payloads differ from the learned shape (empty while learning). Keeps when each drift was first seen.</summary>
    public IReadOnlyList<ShapeDrift> Drift(DateTimeOffset now, int minSamples)
    {
        if (!Learned(minSamples) || Recent.Count == 0)
        {
            if (DriftSince.Count > 0)
            {
                DriftSince.Clear();
                Dirty = true;
            }

            return [];
        }

        var found = new List<(string Path, DriftChange Change, ShapeKinds Was, ShapeKinds Now, long Seen)>();
        var unknown = new Dictionary<string, ShapeKinds>(StringComparer.Ordinal);
        var changed = new Dictionary<string, ShapeKinds>(StringComparer.Ordinal);
        foreach (var shape in Recent)
        {
            foreach (var (path, kind) in shape.Paths)
            {
                if (!Paths.TryGetValue(path, out var stat))
                {
                    unknown[path] = unknown.GetValueOrDefault(path) | kind;
                }
                else if (!Compatible(stat.Kinds, kind))
                {
                    changed[path] = changed.GetValueOrDefault(path) | (kind & ~stat.Kinds);
                }
            }
        }

        // A field that became something else explains what changed under it.
        foreach (var (path, kind) in changed.Where(c => !changed.Keys.Any(a => PayloadShape.IsUnder(c.Key, a))))
        {
            found.Add((path, DriftChange.Type, Paths[path].Kinds, kind, Paths[path].Seen));
        }

        foreach (var (path, kind) in unknown.Where(u => !unknown.Keys.Concat(changed.Keys).Any(a => PayloadShape.IsUnder(u.Key, a))))
        {
            found.Add((path, DriftChange.New, ShapeKinds.None, kind, 0));
        }

        if (Recent.Count >= MissingAfter)
        {
            var missing = Paths
                .Where(p => IsExpected(p.Value.Seen) && !PayloadShape.InArray(p.Key) && Recent.Count(s => Has(s, p.Key)) * 2 < Recent.Count)
                .Select(p => p.Key)
                .ToList();
            foreach (var path in missing.Where(m => !missing.Concat(changed.Keys).Any(a => PayloadShape.IsUnder(m, a))))
            {
                found.Add((path, DriftChange.Missing, Paths[path].Kinds, ShapeKinds.None, Paths[path].Seen));
            }
        }

        var drift = found
            .OrderBy(f => f.Change).ThenBy(f => f.Path, StringComparer.Ordinal)
            .Select(f =>
            {
                var key = $"{f.Change.ToString().ToLowerInvariant()}:{f.Path}";
                if (!DriftSince.TryGetValue(key, out var since))
                {
                    DriftSince[key] = since = now;
                    Dirty = true;
                }

                return new ShapeDrift(f.Path, f.Change, f.Was, f.Now, f.Seen, Samples, since);
            })
            .ToList();
        foreach (var gone in DriftSince.Keys.Except(drift.Select(d => d.Key)).ToList())
        {
            DriftSince.Remove(gone);
            Dirty = true;
        }

        return drift;
    }

    /// <summary>Takes the recent payloads as the new shape: an operator said the vendor's change is the new normal.</summary>
    public void Accept(DateTimeOffset now, int minSamples)
    {
        var recent = Recent.ToList();
        Paths.Clear();
        Samples = 0;
        Recent.Clear();
        DriftSince.Clear();
        _known.Clear();
        _version++;
        foreach (var shape in recent)
        {
            Learn(shape);
        }

        LearnedAt = Learned(minSamples) ? now : null;
        AcceptedAt = now;
        Dirty = true;
    }

    /// <summary>Restores the learned counts from storage.</summary>
    public void Restore(long samples, IEnumerable<KeyValuePair<string, (long Seen, ShapeKinds Kinds)>> paths, IEnumerable<PayloadShape> recent)
    {
        Samples = samples;
        foreach (var (path, stat) in paths)
        {
            Paths[path] = stat;
        }

        foreach (var shape in recent.TakeLast(RecentKept))
        {
            Recent.Enqueue(shape);
        }

        _version++;
    }
}
