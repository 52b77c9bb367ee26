using System.Globalization;
using System.Net;
using Concord.Core.Audit;
using Concord.Core.Configuration;

namespace Concord.Cli.Audit;

/// <summary>
/// Writes an <see cref="AuditReport"/> as one self-contained HTML page: inline CSS and no scripts, so it can be
/// mailed or archived and opens the same anywhere. Every text from the configuration is HTML-encoded.
/// </summary>
internal static class AuditHtml
{
    private const string Style = """
        body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:60rem}
        table{border-collapse:collapse;margin:.5rem 0 1rem}
        th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
        td.num{text-align:right}
        .error{color:#b00020;font-weight:bold}.warning{color:#9a6700;font-weight:bold}.info{color:#555}
        li{margin:.3rem 0}
        """;

    public static string Render(AuditReport report)
    {
        var o = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var title = $"Stack audit — {report.Now.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC";
        o.WriteLine("<!DOCTYPE html>");
        o.WriteLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        o.WriteLine($"<title>{E(title)}</title><style>{Style}</style></head><body>");
        o.WriteLine($"<h1>{E(title)}</h1>");
        o.WriteLine("<h2>Tools</h2>");
        o.WriteLine("<table><tr><th>Layer</th><th>Tool</th><th>Connection</th><th>Monthly cost</th><th>Last traffic</th></tr>");
        foreach (var t in report.Tools)
        {
            o.WriteLine($"<tr><td>{E(StackLayers.Title(t.Layer))}</td><td>{E(t.Name)}</td><td>{E(AuditText.Connection(t))}</td><td class=\"num\">{E(AuditText.Cost(t.Cost))}</td><td>{E(AuditText.LastTraffic(t))}</td></tr>");
        }

        o.WriteLine("</table>");
        o.WriteLine($"<p><strong>Total spend:</strong> {E(AuditText.Spend(report))} per month</p>");
        o.WriteLine("<h2>Findings</h2>");
        if (report.Findings.Count == 0)
        {
            o.WriteLine("<p>No findings.</p>");
        }
        else
        {
            o.WriteLine("<ul>");
            foreach (var f in report.Findings)
            {
                var severity = AuditText.Severity(f.Severity);
                o.WriteLine($"<li><span class=\"{severity}\">{severity}</span> <code>{E(f.Code)}</code> {E(f.Subject)}: {E(f.Message)}.<br>Next step: {E(f.NextStep)}.</li>");
            }

            o.WriteLine("</ul>");
        }

        o.WriteLine("<h2>Owner per data type</h2>");
        o.WriteLine("<table><tr><th>Type</th><th>Owner</th><th>Field owners</th><th>Synced by</th></tr>");
        foreach (var t in report.Owners)
        {
            o.WriteLine($"<tr><td>{E(t.Type)}</td><td>{E(t.Owner ?? "no owner")}</td><td>{E(t.FieldOwners.Count == 0 ? "-" : string.Join(", ", t.FieldOwners))}</td><td>{E(t.Syncers.Count == 0 ? "-" : string.Join(", ", t.Syncers))}</td></tr>");
        }

        o.WriteLine("</table>");
        o.WriteLine("<h2>Quarterly checklist</h2><ul>");
        foreach (var item in report.Checklist)
        {
            o.WriteLine($"<li>{(item.Ok ? "&#x2611;" : "&#x2610;")} <strong>{E(item.Item)}</strong> — {E(item.Detail)}</li>");
        }

        o.WriteLine("</ul></body></html>");
        return o.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
