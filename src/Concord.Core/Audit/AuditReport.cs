using Concord.Core.Configuration;

namespace Concord.Core.Audit;

/// <summary>
/// One tool in the stack as the audit lists it: <c>Connected</c> is true for a configured system and false for an
/// audit-only <c>tools:</c> entry; <c>LastActivity</c> is the last traffic seen (connected systems only).
/// </summary>
public sealed record AuditedTool(string Name, StackLayer Layer, ToolCost? Cost, bool Connected, string Kind, DateTimeOffset? LastActivity);

/// <summary>One line of the quarterly checklist: a question and its answer for this stack.</summary>
public sealed record ChecklistItem(string Item, bool Ok, string Detail);

/// <summary>
/// The owner of one entity type, stated for the checklist, with the systems owning single fields and every
/// system that syncs the type.
/// </summary>
public sealed record TypeOwnership(string Type, string? Owner, IReadOnlyList<string> FieldOwners, IReadOnlyList<string> Syncers);

/// <summary>The audit of a stack at one moment.</summary>
public sealed record AuditReport(
    DateTimeOffset Now,
    IReadOnlyList<AuditedTool> Tools,
    IReadOnlyDictionary<string, decimal> MonthlySpend,
    IReadOnlyList<AuditFinding> Findings,
    IReadOnlyList<TypeOwnership> Owners,
    IReadOnlyList<ChecklistItem> Checklist);
