using System.Globalization;
using Concord.Core.Configuration;
using Concord.Core.Flows.Model;

namespace Concord.Core.Audit;

/// <summary>
/// Audits a stack: every tool with its layer and cost, the spend, and the problems a quarterly review
/// looks for — tools connected to nothing, two tools paid for one job, integrations gone quiet or failing,
/// the owner of each data type. Pure: the traffic figures come in as data.
/// </summary>
/// <remarks>
/// What counts as an overlap: two tools in the same layer where either both are connected and both send the hub
/// the same entity type (a pull or two-way rule: two money tools where invoices are entered hold two versions of
/// one ledger; one that only receives them from the other is the books, a different job), or at least one of them
/// is an audit-only tool (the hub cannot see its job, so a second paid tool in a layer needs a reason). Two
/// connected tools in one layer that carry different types are complementary (payments in Stripe, books in
/// QuickBooks; chat in Slack, e-mail over SMTP) and are not reported.
/// A type without an owner, or a system contributing data it owns none of, is already refused by
/// <see cref="ConfigValidator"/>; what can still happen is a type whose fields are owned by other systems than the
/// type's owner (reported for the review to confirm), and the audit states the owner of each type.
/// </remarks>
public static class StackAudit
{
    /// <summary>An integration with no traffic for this long is reported as silent.</summary>
    public static readonly TimeSpan SilentAfter = TimeSpan.FromDays(90);

    public static AuditReport Run(HubConfig config, IReadOnlyDictionary<string, SystemTraffic> traffic, DateTimeOffset now)
    {
        var findings = new List<AuditFinding>();
        var referenced = ReferencedSystems(config);
        var tools = new List<AuditedTool>();

        foreach (var system in config.Systems.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            var t = traffic.TryGetValue(system.Name, out var seen) ? seen : SystemTraffic.None;
            tools.Add(new AuditedTool(system.Name, system.EffectiveLayer, system.Cost, true, system.Kind, t.LastActivity));

            if (!referenced.Contains(system.Name))
            {
                findings.Add(new AuditFinding(AuditSeverity.Warning, "unconnected", system.Name,
                    $"system '{system.Name}' is configured{CostPhrase(system.Cost)} but no sync rule or flow uses it",
                    $"add a sync rule for it under syncs:, or remove it from concord.yaml{(system.Cost is { Monthly: > 0 } ? " and cancel the subscription" : "")}"));
                continue;
            }

            if (t.DeadLast7Days > 0)
            {
                findings.Add(new AuditFinding(AuditSeverity.Error, "broken", system.Name,
                    $"{Count(t.DeadLast7Days, "delivery", "deliveries")} to '{system.Name}' dead-lettered in the last 7 days",
                    $"run `concord replay --all-dead --system {system.Name}` after fixing the cause shown in the log (credentials, a renamed field, a vendor outage)"));
            }
            else if (t.FailuresLast7Days > 0)
            {
                findings.Add(new AuditFinding(AuditSeverity.Warning, "failing", system.Name,
                    $"{Count(t.FailuresLast7Days, "failed attempt", "failed attempts")} to deliver to '{system.Name}' in the last 7 days (retried, none dead yet)",
                    "read the errors in the transaction log before they exhaust the retries"));
            }

            if (t.LastActivity is not { } last || now - last > SilentAfter)
            {
                var since = t.LastActivity is { } l ? $"since {l.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} ({(int)(now - l).TotalDays} days)" : "in the kept log";
                findings.Add(new AuditFinding(AuditSeverity.Warning, "silent", system.Name,
                    $"no traffic with '{system.Name}' {since}",
                    $"check whether the team still uses {system.Name}; if not, remove its sync rules and cancel it{CostPhrase(system.Cost, " (")}{(system.Cost is null ? "" : ")")}"));
            }
        }

        foreach (var tool in config.Tools.Values.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            tools.Add(new AuditedTool(tool.Name, tool.Layer, tool.Cost, false, "none", null));
            findings.Add(tool.Cost is { Monthly: > 0 }
                ? new AuditFinding(AuditSeverity.Warning, "unused-subscription", tool.Name,
                    $"'{tool.Name}' costs {Money(tool.Cost.Monthly, tool.Cost.Currency)} a month and Concord connects it to nothing, so no data shows it is used",
                    $"ask who used {tool.Name} this quarter; cancel it if nobody did, or connect it so its data stays in step")
                : new AuditFinding(AuditSeverity.Info, "unconnected", tool.Name,
                    $"'{tool.Name}' is listed but Concord connects it to nothing",
                    "connect it or drop it from tools:"));
        }

        findings.AddRange(Overlaps(config));
        var owners = Owners(config, findings);

        var spend = tools.Where(t => t.Cost is not null)
            .GroupBy(t => t.Cost!.Currency, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(t => t.Cost!.Monthly), StringComparer.Ordinal);

        var ordered = findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Code, StringComparer.Ordinal).ThenBy(f => f.Subject, StringComparer.Ordinal).ToList();
        return new AuditReport(now, tools.OrderBy(t => t.Layer == StackLayer.None).ThenBy(t => t.Layer).ThenBy(t => t.Name, StringComparer.Ordinal).ToList(),
            spend, ordered, owners, Checklist(ordered, owners));
    }

    private static IEnumerable<AuditFinding> Overlaps(HubConfig config)
    {
        var members = config.Systems.Values.Select(s => (s.Name, Layer: s.EffectiveLayer, Connected: true))
            .Concat(config.Tools.Values.Select(t => (t.Name, t.Layer, Connected: false)))
            .Where(m => m.Layer != StackLayer.None)
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ToList();
        // What each system is a source of: a type people enter in two tools of one layer is the overlap that costs
        // money (two CRMs both holding customers). A tool that only receives a type (books pushed from billing) is
        // another job, not a second copy of the same one.
        var types = config.Syncs.Where(r => r.Contributes).GroupBy(r => r.System, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Type).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

        foreach (var layer in members.GroupBy(m => m.Layer).OrderBy(g => g.Key))
        {
            var list = layer.ToList();
            for (var i = 0; i < list.Count; i++)
            {
                for (var j = i + 1; j < list.Count; j++)
                {
                    var (a, b) = (list[i], list[j]);
                    string? why = null;
                    if (a.Connected && b.Connected)
                    {
                        var shared = types.GetValueOrDefault(a.Name, []).Intersect(types.GetValueOrDefault(b.Name, []), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                        if (shared.Count > 0)
                        {
                            why = $"both are sources of {string.Join(", ", shared)}";
                        }
                    }
                    else
                    {
                        why = "Concord cannot see a separate job for the audit-only tool";
                    }

                    if (why is not null)
                    {
                        yield return new AuditFinding(AuditSeverity.Warning, "overlap", $"{a.Name}, {b.Name}",
                            $"'{a.Name}' and '{b.Name}' are both in {StackLayers.Title(layer.Key).ToLowerInvariant()}: {why}",
                            $"decide which one does the job and retire the other, or set `layer:` if one of them does a different job");
                    }
                }
            }
        }
    }

    private static List<TypeOwnership> Owners(HubConfig config, List<AuditFinding> findings)
    {
        var owners = new List<TypeOwnership>();
        foreach (var type in config.Entities.Values.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var others = type.FieldOwners.Values.Where(f => f.System != type.Owner).OrderBy(f => f.Field, StringComparer.Ordinal).ToList();
            var fieldOwners = others.Select(f => f.System).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var syncers = config.Syncs.Where(r => r.Type == type.Name).Select(r => r.System).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            owners.Add(new TypeOwnership(type.Name, type.Owner, fieldOwners, syncers));
            if (others.Count > 0)
            {
                findings.Add(new AuditFinding(AuditSeverity.Info, "split-owner", type.Name,
                    $"type '{type.Name}' is owned by {type.Owner ?? "no system"}, but {string.Join(", ", others.Select(f => $"{f.Field} by {f.System}"))}",
                    $"confirm at the review that each of those systems is still where its field is kept right; if not, remove the field's owner: so {type.Owner} owns the whole type"));
            }
        }

        return owners;
    }

    private static List<ChecklistItem> Checklist(List<AuditFinding> findings, List<TypeOwnership> owners)
    {
        string Names(params string[] codes) => string.Join(", ", findings.Where(f => codes.Contains(f.Code)).Select(f => f.Subject).Distinct(StringComparer.Ordinal));
        var unused = Names("unused-subscription", "unconnected", "silent");
        var broken = Names("broken", "failing");
        var split = Names("split-owner");
        var ownerList = owners.Count == 0 ? "no types configured" : string.Join("; ", owners.Select(o => $"{o.Type}: {o.Owner ?? "no owner"}"));
        return
        [
            new ChecklistItem("Cancel unused subscriptions", unused.Length == 0, unused.Length == 0 ? "every tool is connected and active" : $"review: {unused}"),
            new ChecklistItem("Fix broken integrations", broken.Length == 0, broken.Length == 0 ? "no failed deliveries in the last 7 days" : $"failing: {broken}"),
            new ChecklistItem("One owner per data type", split.Length == 0, split.Length == 0 ? ownerList : $"fields owned apart from their type: {split} ({ownerList})"),
        ];
    }

    /// <summary>Systems a sync rule or a flow (a record trigger's <c>from</c>, a step's <c>via</c> or <c>in</c>) uses.</summary>
    private static HashSet<string> ReferencedSystems(HubConfig config)
    {
        var names = config.Syncs.Select(r => r.System).ToHashSet(StringComparer.Ordinal);
        foreach (var flow in config.Flows.Values)
        {
            if (flow.Trigger is RecordTrigger rt)
            {
                names.UnionWith(rt.From);
            }

            foreach (var step in flow.AllSteps())
            {
                // `via` names the system a notify step sends through, `in` the one a record step reads or writes.
                foreach (var argument in new[] { "via", "in" })
                {
                    if (step.Args[argument] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        names.Add(s);
                    }
                }
            }
        }

        return names;
    }

    private static string CostPhrase(ToolCost? cost, string prefix = " at ") =>
        cost is null ? "" : $"{prefix}{Money(cost.Monthly, cost.Currency)} a month";

    internal static string Money(decimal amount, string currency) =>
        $"{amount.ToString("0.00", CultureInfo.InvariantCulture)} {currency}";

    private static string Count(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";
}
