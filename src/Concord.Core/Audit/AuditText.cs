using System.Globalization;
using Concord.Core.Configuration;

namespace Concord.Core.Audit;

/// <summary>How an audit report words its cells: the same in <c>concord audit</c>'s Markdown and HTML and on the dashboard's Audit page.</summary>
public static class AuditText
{
    public static string Connection(AuditedTool t) => t.Connected ? $"connected ({t.Kind})" : "not connected";

    public static string Cost(ToolCost? cost) => cost is null ? "-" : $"{cost.Monthly.ToString("#,0.00", CultureInfo.InvariantCulture)} {cost.Currency}";

    public static string LastTraffic(AuditedTool t) => !t.Connected ? "-" : t.LastActivity is { } at ? at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "none kept";

    public static string Spend(AuditReport report) => report.MonthlySpend.Count == 0
        ? "no costs recorded"
        : string.Join(" + ", report.MonthlySpend.Select(s => $"{s.Value.ToString("#,0.00", CultureInfo.InvariantCulture)} {s.Key}"));

    public static string Severity(AuditSeverity severity) => severity switch
    {
        AuditSeverity.Error => "error",
        AuditSeverity.Warning => "warning",
        _ => "info",
    };
}
