using System.Globalization;
using Concord.Core.Audit;
using Concord.Core.Configuration;

namespace Concord.Cli.Audit;

/// <summary>Writes an <see cref="AuditReport"/> as Markdown, the form that pastes into a ticket or a wiki.</summary>
internal static class AuditMarkdown
{
    public static string Render(AuditReport report)
    {
        var o = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        o.WriteLine($"# Stack audit — {report.Now.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC");
        o.WriteLine();
        o.WriteLine("## Tools");
        o.WriteLine();
        o.WriteLine("| Layer | Tool | Connection | Monthly cost | Last traffic |");
        o.WriteLine("|---|---|---|---:|---|");
        foreach (var t in report.Tools)
        {
            o.WriteLine($"| {Cell(StackLayers.Title(t.Layer))} | {Cell(t.Name)} | {Cell(AuditText.Connection(t))} | {Cell(AuditText.Cost(t.Cost))} | {Cell(AuditText.LastTraffic(t))} |");
        }

        o.WriteLine();
        o.WriteLine($"**Total spend:** {AuditText.Spend(report)} per month");
        o.WriteLine();
        o.WriteLine("## Findings");
        o.WriteLine();
        if (report.Findings.Count == 0)
        {
            o.WriteLine("No findings.");
        }

        foreach (var f in report.Findings)
        {
            o.WriteLine($"- **{AuditText.Severity(f.Severity)}** `{f.Code}` {Inline(f.Subject)}: {Inline(f.Message)}. Next step: {Inline(f.NextStep)}.");
        }

        o.WriteLine();
        o.WriteLine("## Owner per data type");
        o.WriteLine();
        if (report.Owners.Count == 0)
        {
            o.WriteLine("No entity types are configured.");
        }
        else
        {
            o.WriteLine("| Type | Owner | Field owners | Synced by |");
            o.WriteLine("|---|---|---|---|");
            foreach (var t in report.Owners)
            {
                o.WriteLine($"| {Cell(t.Type)} | {Cell(t.Owner ?? "no owner")} | {Cell(t.FieldOwners.Count == 0 ? "-" : string.Join(", ", t.FieldOwners))} | {Cell(t.Syncers.Count == 0 ? "-" : string.Join(", ", t.Syncers))} |");
            }
        }

        o.WriteLine();
        o.WriteLine("## Quarterly checklist");
        o.WriteLine();
        foreach (var item in report.Checklist)
        {
            o.WriteLine($"- [{(item.Ok ? "x" : " ")}] {item.Item} — {Inline(item.Detail)}");
        }

        return o.ToString();
    }

    /// <summary>A table cell: a pipe would end the cell and a newline the row.</summary>
    private static string Cell(string text) => Inline(text).Replace("|", "\\|", StringComparison.Ordinal);

    private static string Inline(string text) => text.Replace('\n', ' ').Replace('\r', ' ');
}
