using System.Globalization;
using Concord.Core.Configuration;
using Concord.Core.Identity;
using Concord.Core.Records;
using Concord.Core.Schema;
using Concord.Engine.Storage;

namespace Concord.Engine.Processing;

/// <summary>
/// Enforces the cardinality rules (<see cref="GuardrailRules"/>) on a record whenever it, or its links,
/// change. A uniqueness rule keeps each live record that meets the rule's condition under its values
/// (the rule-key table); the first record there is the one every later record is reported against,
/// so three subscriptions to one plan make two findings. A links rule counts the ids each system holds
/// for the record. A finding names the rule and every record (or vendor id) in violation, and is
/// resolved as soon as the violation ends. Nothing is changed or deleted in any system: the hub says
/// what to merge where.
/// </summary>
public sealed class CardinalityRules(HubConfig config, TimeProvider time)
{
    private readonly GuardrailRules _rules = GuardrailRules.For(config);

    /// <summary>Brings the record's rule keys, links findings and rule findings in step with the record as it is now.</summary>
    public void Check(IPipelineTransaction tx, GoldenRecord record, EntityTypeConfig type)
    {
        CheckUnique(tx, record.Id, type, r => Value(r, record, type));
        CheckLinks(tx, record, type);
    }

    /// <summary>Takes a record out of every rule before it is removed (absorbed by a merge), handing its place on.</summary>
    public void Forget(IPipelineTransaction tx, string recordId, EntityTypeConfig type) => CheckUnique(tx, recordId, type, _ => null);

    /// <summary>
    /// Compares the ids each system holds for the record with the links rules: a system over its limit
    /// holds the record twice (a <c>duplicate-in-system</c> finding naming its ids), and the finding is
    /// resolved when the ids come apart again (an unmerge, a deleted duplicate).
    /// </summary>
    public void CheckLinks(IPipelineTransaction tx, GoldenRecord record, EntityTypeConfig type)
    {
        var wanted = new Dictionary<string, Finding>(StringComparer.Ordinal);
        if (!record.Deleted)
        {
            foreach (var bySystem in tx.LinksOf(record.Id).Where(l => l.Type == record.Type).GroupBy(l => l.System, StringComparer.Ordinal))
            {
                var ids = bySystem.Select(l => l.ExternalId).ToList();
                if (_rules.LinkRule(type.Name, bySystem.Key) is { Links.Max: { } max } rule && ids.Count > max)
                {
                    wanted[bySystem.Key] = new Finding(Ids.New("fnd", time), rule.Kind, rule.EffectiveSeverity, record.Type, record.Id, null, bySystem.Key,
                        LinksMessage(record, bySystem.Key, ids, rule, max), time.GetUtcNow(), Rule: rule.Name);
                }
            }
        }

        foreach (var open in tx.OpenFindingsOf(record.Id).Where(f => f.Kind == "duplicate-in-system" && f.RecordId == record.Id && f.System is not null))
        {
            if (wanted.TryGetValue(open.System!, out var still) && still.Message == open.Message && still.Rule == open.Rule)
            {
                wanted.Remove(open.System!);
            }
            else
            {
                // Resolved, or the ids changed: the finding should name the ids as they are.
                tx.CloseFinding(open.Id, dismissed: false);
            }
        }

        foreach (var finding in wanted.Values)
        {
            tx.RaiseFinding(finding);
        }
    }

    private void CheckUnique(IPipelineTransaction tx, string recordId, EntityTypeConfig type, Func<CardinalityRule, string?> valueOf)
    {
        var held = tx.RuleKeysOf(recordId);
        foreach (var key in held.Where(k => !_rules.HasUniqueRule(type.Name, k.Rule)))
        {
            // The rule was removed or switched off: its findings no longer stand.
            Leave(tx, recordId, type, key.Rule, key.Value);
        }

        foreach (var rule in _rules.UniqueRules(type.Name))
        {
            var before = held.FirstOrDefault(k => k.Rule == rule.Name)?.Value;
            var now = valueOf(rule);
            if (before == now)
            {
                continue;
            }

            if (before is not null)
            {
                Leave(tx, recordId, type, rule.Name, before);
            }

            if (now is not null)
            {
                tx.JoinRule(rule.Name, type.Name, now, recordId);
                var members = tx.RuleMembers(rule.Name, now);
                if (members.Count > 1 && members[0] != recordId)
                {
                    Raise(tx, rule, type, now, members[0], recordId);
                }
            }
        }
    }

    /// <summary>
    /// Leaves a rule's value and resolves the rule's findings about the record. When the record was the
    /// one the others were reported against, the next in line takes its place, so records still in
    /// violation stay reported.
    /// </summary>
    private void Leave(IPipelineTransaction tx, string recordId, EntityTypeConfig type, string ruleName, string value)
    {
        var members = tx.RuleMembers(ruleName, value);
        tx.LeaveRule(ruleName, value, recordId);
        foreach (var open in tx.OpenFindingsOf(recordId).Where(f => f.Rule == ruleName && f.Kind != "duplicate-in-system"))
        {
            tx.CloseFinding(open.Id, dismissed: false);
        }

        var rest = members.Where(m => m != recordId).ToList();
        if (members.Count > 0 && members[0] == recordId && rest.Count > 1 && _rules.UniqueRules(type.Name).FirstOrDefault(r => r.Name == ruleName) is { } rule)
        {
            foreach (var other in rest.Skip(1))
            {
                Raise(tx, rule, type, value, rest[0], other);
            }
        }
    }

    private void Raise(IPipelineTransaction tx, CardinalityRule rule, EntityTypeConfig type, string value, string first, string second) =>
        tx.RaiseFinding(new Finding(Ids.New("fnd", time), rule.Kind, rule.EffectiveSeverity, type.Name, second, first, null,
            UniqueMessage(rule, type, value, first, second), time.GetUtcNow(), Rule: rule.Name));

    /// <summary>
    /// The values a record holds under a uniqueness rule, or null when it does not count: deleted, not
    /// meeting the condition, or missing one of the fields (or holding a blocked value there). Text is compared trimmed and case-folded;
    /// references (record ids) exactly.
    /// </summary>
    internal static string? Value(CardinalityRule rule, GoldenRecord record, EntityTypeConfig type)
    {
        if (record.Deleted || !rule.When.All(c => c.Matches(record.BestValueOf)))
        {
            return null;
        }

        var parts = new List<string>(rule.Unique.Count);
        foreach (var field in rule.Unique)
        {
            var text = DeterministicResolver.AsText(record.BestValueOf(field))?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            var exact = type.Schema.TryGetField(field, out var schema) && schema.Type == FieldType.Reference;
            if (!exact && BlockedValues.IsBlocked(type, field, text))
            {
                // A placeholder (n/a, 000000000) is shared by unrelated records and proves nothing.
                return null;
            }

            parts.Add(exact ? text : string.Join(' ', text.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        }

        return string.Join('|', parts);
    }

    /// <summary>
    /// "customer rec_1 has two active subscriptions to pro monthly: rec_a and rec_b; they are probably
    /// billed twice (rule …)": the first field, when it names another record, is who has them.
    /// </summary>
    private static string UniqueMessage(CardinalityRule rule, EntityTypeConfig type, string value, string first, string second)
    {
        var values = value.Split('|');
        var described = rule.Unique.Select((f, i) => (Field: f, Value: i < values.Length ? values[i] : "")).ToList();
        var qualifier = rule.When.Count > 0 ? "active " : "";
        var owner = type.Schema.TryGetField(described[0].Field, out var f0) && f0.Type == FieldType.Reference;
        var rest = string.Concat(described.Skip(owner ? 1 : 0).Select(d => d.Field is "plan" or "price" ? $" to {d.Value}" : $" with {d.Field} {d.Value}"));
        var what = owner
            ? $"{described[0].Field} {described[0].Value} has two {qualifier}{Plural(type.Name)}{rest}"
            : $"two {qualifier}{Plural(type.Name)} share{rest.Replace(" with ", " ", StringComparison.Ordinal)}";
        var consequence = rule.Kind == "double-billing" ? "they are probably billed twice" : "only one is allowed";
        return $"{what}: {first} and {second}; {consequence} (rule \"{rule.Name}\")";
    }

    /// <summary>"stripe has this customer twice, as cus_A and cus_B; both are linked to rec_1; merge them in stripe".</summary>
    private static string LinksMessage(GoldenRecord record, string system, List<string> ids, CardinalityRule rule, int max)
    {
        var times = ids.Count switch
        {
            2 => "twice",
            3 => "three times",
            _ => ids.Count.ToString(CultureInfo.InvariantCulture) + " times",
        };
        var list = string.Join(", ", ids.Take(ids.Count - 1)) + " and " + ids[^1];
        var allowed = rule.BuiltIn ? "" : max == 1 ? $" (rule \"{rule.Name}\")" : $" (rule \"{rule.Name}\" allows {max})";
        var merge = max == 1 ? $"merge them in {system}" : $"merge the extra ones in {system}";
        return $"{system} has this {record.Type} {times}, as {list}{allowed}; {(ids.Count == 2 ? "both" : "all")} are linked to {record.Id}; {merge}";
    }

    private static string Plural(string type) =>
        type.EndsWith('y') && type.Length > 1 && !"aeiou".Contains(type[^2], StringComparison.Ordinal) ? type[..^1] + "ies" : type + "s";
}
