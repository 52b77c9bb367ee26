using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Records;

namespace Concord.Core.Sync;

/// <summary>One outbound operation the hub owes a system after a golden change.</summary>
/// <param name="System">The receiving system.</param>
/// <param name="Operation"><c>upsert</c> or <c>delete</c>.</param>
/// <param name="Fields">The record's current values of every field the system receives (full state, so the receiver converges even if it missed a version).</param>
/// <param name="ChangedFields">Which of those fields this version changed.</param>
public sealed record PlannedDelivery(string System, string Operation, JsonObject Fields, IReadOnlyList<string> ChangedFields);

/// <summary>
/// The sync rules compiled for the pipeline: who contributes what, and who receives which
/// fields of a golden change, with the echo removed.
/// </summary>
public sealed class SyncPlan
{
    private readonly Dictionary<(string System, string Type), SyncRule> _rules = [];
    private readonly Dictionary<string, List<SyncRule>> _receivers = new(StringComparer.Ordinal);

    public SyncPlan(HubConfig config)
    {
        Config = config;
        foreach (var rule in config.Syncs)
        {
            _rules.TryAdd((rule.System, rule.Type), rule);
            if (rule.Receives)
            {
                if (!_receivers.TryGetValue(rule.Type, out var list))
                {
                    _receivers[rule.Type] = list = [];
                }

                list.Add(rule);
            }
        }
    }

    public HubConfig Config { get; }

    /// <summary>The rule under which <paramref name="system"/> may send changes of <paramref name="type"/>, if any.</summary>
    public SyncRule? ContributorRule(string system, string type) =>
        _rules.TryGetValue((system, type), out var r) && r.Contributes ? r : null;

    public IReadOnlyList<SyncRule> Receivers(string type) => _receivers.TryGetValue(type, out var l) ? l : [];

    /// <summary>
    /// The deliveries a golden change causes. A system gets a delivery when a field it receives
    /// changed, except for values it supplied itself (the echo). A change that altered nothing
    /// causes nothing.
    /// </summary>
    public List<PlannedDelivery> Plan(GoldenRecord record, IReadOnlyList<FieldChange> changed, string sourceSystem, bool deletedNow)
    {
        var result = new List<PlannedDelivery>();
        if (!deletedNow && changed.Count == 0)
        {
            return result;
        }

        foreach (var rule in Receivers(record.Type))
        {
            if (deletedNow)
            {
                if (rule.System != sourceSystem)
                {
                    result.Add(new PlannedDelivery(rule.System, "delete", [], []));
                }

                continue;
            }

            if (!rule.Filter.All(f => f.Matches(record.ValueOf)))
            {
                // Records that leave a filter are not deleted in the receiving system: a filter
                // decides what is sent, not what the system may keep.
                continue;
            }

            var relevant = changed.Where(c => rule.Covers(c.Field) && c.System != rule.System).Select(c => c.Field).ToList();
            if (rule.Filter.Count > 0 && !MatchedBefore(rule, record, changed))
            {
                // The record has just entered the filter: the system has never been sent it, so it gets all of it.
                relevant = record.Fields.Keys.Where(rule.Covers).ToList();
            }

            if (relevant.Count == 0)
            {
                continue;
            }

            var fields = new JsonObject();
            foreach (var (name, value) in record.Fields)
            {
                if (rule.Covers(name))
                {
                    fields[name] = value.Value?.DeepClone();
                }
            }

            result.Add(new PlannedDelivery(rule.System, "upsert", fields, relevant));
        }

        return result;
    }

    /// <summary>Whether the record satisfied the rule's filter before this change (old values in place of changed ones).</summary>
    private static bool MatchedBefore(SyncRule rule, GoldenRecord record, IReadOnlyList<FieldChange> changed) =>
        rule.Filter.All(f => f.Matches(field => changed.FirstOrDefault(c => c.Field == field) is { } c ? c.Old : record.ValueOf(field)));
}
