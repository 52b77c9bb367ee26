using Concord.Core.Configuration;
using Concord.Core.Matching;
using Concord.Core.Records;
using Concord.Engine.Storage;

namespace Concord.Engine.Identity;

/// <summary>A golden record an arriving record may be, with the matcher's reasons.</summary>
public sealed record MatchCandidate(string RecordId, PairExplanation Explanation, MatchDecision Decision);

/// <summary>
/// Matches records as they arrive: for each entity type with <c>matching</c> on, an
/// <see cref="IncrementalMatcher"/> holds every live golden record in blocking indexes, so a
/// record is scored only against those sharing a blocking key. A record is (re-)added whenever
/// the values the model reads change; older entries of the same record are skipped, as are
/// records merged away or deleted since (the caller's loader says which records still live).
/// </summary>
/// <remarks>
/// Parameters: learned by expectation–maximisation from the store when it holds at least
/// <see cref="MinTrainingRecords"/> records of the type (a sample of at most
/// <see cref="MaxTrainingRecords"/>), else the priors of <see cref="DefaultParameters"/>.
/// </remarks>
public sealed class RecordMatcher
{
    /// <summary>Fewer records than this teach EM nothing reliable; the priors are used instead.</summary>
    public const int MinTrainingRecords = 1_000;

    /// <summary>Training reads a sample of this many records at most: m and u are shares, which a sample estimates well.</summary>
    public const int MaxTrainingRecords = 20_000;

    private readonly Dictionary<string, TypeIndex> _types = new(StringComparer.Ordinal);

    /// <summary>A matcher for the types of <paramref name="config"/> that have matching on, with prior parameters and empty indexes.</summary>
    public RecordMatcher(HubConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        foreach (var (name, type) in config.Entities)
        {
            if (type.Matching is { Enabled: true } matching && matching.ResolveModel() is { } model)
            {
                _types[name] = new TypeIndex(model, type, DefaultParameters.For(model), "priors");
            }
        }
    }

    /// <summary>Whether records of <paramref name="type"/> are matched.</summary>
    public bool Matches(string type) => _types.ContainsKey(type);

    /// <summary>The model and parameters of a type, for explanations; null when it is not matched.</summary>
    public (MatchModel Model, FellegiSunterParameters Parameters, string Source)? Of(string type) =>
        _types.TryGetValue(type, out var index) ? (index.Model, index.Parameters, index.ParameterSource) : null;

    /// <summary>
    /// Fills the indexes with the store's live records and learns each type's parameters when
    /// there are enough of them; <paramref name="progress"/> hears one line per type.
    /// </summary>
    public async Task LoadAsync(IHubStore store, Action<string>? progress, CancellationToken cancellationToken)
    {
        foreach (var (name, index) in _types)
        {
            var records = new List<GoldenRecord>();
            await foreach (var record in store.ReadRecordsAsync(name, cancellationToken))
            {
                records.Add(record);
            }

            FellegiSunterParameters? trained = null;
            if (records.Count >= MinTrainingRecords)
            {
                try
                {
                    trained = Train(index, records);
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
                {
                    // Learning is an improvement on the priors, not a condition for running.
                    progress?.Invoke($"matching {name}: could not learn parameters from the store ({ex.Message}); using the priors");
                }
            }

            index.Reset(trained);
            foreach (var record in records)
            {
                index.Add(record);
            }

            progress?.Invoke($"matching {name}: {records.Count} records indexed, parameters from {index.ParameterSource}");
        }
    }

    /// <summary>
    /// Scores <paramref name="record"/> against the live records it shares a blocking key with and
    /// indexes it; returns the candidates at or above the review threshold, best first. Returns
    /// nothing (and scores nothing) when the values the model reads have not changed since the
    /// record was last indexed.
    /// </summary>
    public IReadOnlyList<MatchCandidate> MatchAndIndex(GoldenRecord record, Func<string, GoldenRecord?> load)
    {
        ArgumentNullException.ThrowIfNull(record);
        return _types.TryGetValue(record.Type, out var index) ? index.MatchAndAdd(record, load) : [];
    }

    /// <summary>
    /// Indexes <paramref name="record"/> as it is now without scoring it: a merge or unmerge changed
    /// what the model reads, and later arrivals must be compared with that.
    /// </summary>
    public void Index(GoldenRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_types.TryGetValue(record.Type, out var index))
        {
            index.Add(record);
        }
    }

    /// <summary>Explains a pair of golden records of one type; null when the type is not matched.</summary>
    public PairExplanation? Explain(GoldenRecord left, GoldenRecord right)
    {
        if (!_types.TryGetValue(left.Type, out var index))
        {
            return null;
        }

        return PairExplanation.Of(index.Model, index.Parameters, index.Subject(left), index.Subject(right));
    }

    private static FellegiSunterParameters Train(TypeIndex index, List<GoldenRecord> records)
    {
        // An evenly spaced sample keeps the estimate repeatable from one start to the next.
        var step = Math.Max(1, records.Count / MaxTrainingRecords);
        var sample = records.Where((_, i) => i % step == 0).Take(MaxTrainingRecords).Select(index.Subject).ToList();
        return Matcher.Run(index.Model, sample, new MatchOptions()).Parameters;
    }

    /// <summary>One entity type's index. Calls are serialised: the pipeline and the loader may overlap.</summary>
    private sealed class TypeIndex(MatchModel model, EntityTypeConfig type, FellegiSunterParameters priors, string source)
    {
        private readonly object _gate = new();
        private readonly List<string> _ids = [];
        private readonly Dictionary<string, (int Row, string Fingerprint)> _current = new(StringComparer.Ordinal);
        private IncrementalMatcher _matcher = new(model, priors);

        public MatchModel Model { get; } = model;

        public FellegiSunterParameters Parameters { get; private set; } = priors;

        /// <summary>The record as the model sees it, without the values blocked for the type.</summary>
        public MatchRecord Subject(GoldenRecord record) => GoldenMatchRecords.For(Model, record, type);

        public string ParameterSource { get; private set; } = source;

        public void Reset(FellegiSunterParameters? trained)
        {
            lock (_gate)
            {
                if (trained is not null)
                {
                    (Parameters, ParameterSource) = (trained, "the store (expectation–maximisation)");
                }

                _matcher = new IncrementalMatcher(Model, Parameters);
                _ids.Clear();
                _current.Clear();
            }
        }

        public void Add(GoldenRecord record)
        {
            var subject = Subject(record);
            if (record.Deleted || subject.Fields.Values.All(v => v is null))
            {
                return;
            }

            lock (_gate)
            {
                var fingerprint = Fingerprint(subject);
                if (_current.TryGetValue(record.Id, out var known) && known.Fingerprint == fingerprint)
                {
                    return;
                }

                _matcher.Add(subject);
                _current[record.Id] = (_ids.Count, fingerprint);
                _ids.Add(record.Id);
            }
        }

        private static string Fingerprint(MatchRecord subject) =>
            string.Join('\u001f', subject.Fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Value));

        public IReadOnlyList<MatchCandidate> MatchAndAdd(GoldenRecord record, Func<string, GoldenRecord?> load)
        {
            var subject = Subject(record);
            var fingerprint = Fingerprint(subject);
            if (subject.Fields.Values.All(v => v is null))
            {
                return [];
            }

            List<(string Id, double Weight)> found;
            lock (_gate)
            {
                if (_current.TryGetValue(record.Id, out var known) && known.Fingerprint == fingerprint)
                {
                    return [];
                }

                found = [];
                foreach (var (row, weight) in _matcher.MatchAndAdd(subject))
                {
                    var id = _ids[row];
                    if (id != record.Id && _current.TryGetValue(id, out var now) && now.Row == row
                        && FellegiSunterParameters.Probability(weight) >= Model.Thresholds.Review)
                    {
                        found.Add((id, weight));
                    }
                }

                _current[record.Id] = (_ids.Count, fingerprint);
                _ids.Add(record.Id);
            }

            var candidates = new List<MatchCandidate>();
            foreach (var (id, _) in found)
            {
                if (load(id) is { Deleted: false } other && other.Type == record.Type)
                {
                    var explanation = PairExplanation.Of(Model, Parameters, subject, Subject(other));
                    candidates.Add(new MatchCandidate(id, explanation, Model.Thresholds.Decide(explanation.Probability)));
                }
            }

            return candidates;
        }
    }
}
