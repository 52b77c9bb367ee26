using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concord.Core.Reconciliation;

namespace Concord.Cli.Reconcile;

/// <summary>
/// A reconciliation's result for people (one line per proposal, then the unmatched lines and a
/// summary), for spreadsheets (CSV) and for programs (JSON). Proposals are listed in the order of
/// their first left line, so the output follows the left file.
/// </summary>
internal sealed class ReconcileReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private readonly Dictionary<string, MoneyLine> _left;
    private readonly Dictionary<string, MoneyLine> _right;

    public ReconcileReport(string leftName, IReadOnlyList<MoneyLine> left, string rightName, IReadOnlyList<MoneyLine> right, IReadOnlyList<MatchProposal> proposals)
    {
        LeftName = leftName;
        RightName = rightName;
        _left = left.ToDictionary(l => l.Id, StringComparer.Ordinal);
        _right = right.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var order = left.Select((l, i) => (l.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        Proposals = proposals.OrderBy(p => p.LeftIds.Min(id => order[id])).ToList();
        var leftUsed = proposals.SelectMany(p => p.LeftIds).ToHashSet(StringComparer.Ordinal);
        var rightUsed = proposals.SelectMany(p => p.RightIds).ToHashSet(StringComparer.Ordinal);
        UnmatchedLeft = left.Where(l => !leftUsed.Contains(l.Id)).ToList();
        UnmatchedRight = right.Where(r => !rightUsed.Contains(r.Id)).ToList();
        LeftCount = left.Count;
        RightCount = right.Count;
    }

    public string LeftName { get; }

    public string RightName { get; }

    public IReadOnlyList<MatchProposal> Proposals { get; }

    public IReadOnlyList<MoneyLine> UnmatchedLeft { get; }

    public IReadOnlyList<MoneyLine> UnmatchedRight { get; }

    public int LeftCount { get; }

    public int RightCount { get; }

    public int Confirmed => Proposals.Count(p => p.Status == MatchStatus.Confirmed);

    public int Suggested => Proposals.Count(p => p.Status == MatchStatus.Suggested);

    /// <summary>E.g. "2 confirmed, 1 suggested; unmatched: 1 of 5 in bank.csv, 0 of 6 in ledger.csv".</summary>
    public string Summary => string.Create(Inv,
        $"{Confirmed} confirmed, {Suggested} suggested; unmatched: {UnmatchedLeft.Count} of {LeftCount} in {LeftName}, {UnmatchedRight.Count} of {RightCount} in {RightName}");

    /// <summary>One line per proposal, then one per unmatched line, then the summary.</summary>
    public IEnumerable<string> TextLines()
    {
        foreach (var p in Proposals)
        {
            yield return string.Create(Inv,
                $"{Status(p),-9} {p.Score:0.000}  {Side(p.LeftIds, _left)} → {Side(p.RightIds, _right)}  ({string.Join("; ", p.Reasons)})");
        }

        foreach (var l in UnmatchedLeft)
        {
            yield return $"unmatched in {LeftName}: {Describe(l)}";
        }

        foreach (var r in UnmatchedRight)
        {
            yield return $"unmatched in {RightName}: {Describe(r)}";
        }

        yield return Summary;
    }

    /// <summary>
    /// One row per proposal and per unmatched line (status "unmatched"); several ids or dates in a
    /// cell are separated by "; ", and an amount cell holds the sum of its side.
    /// </summary>
    public string Csv()
    {
        var sb = new StringBuilder();
        sb.Append("status,score,left_ids,right_ids,left_amount,right_amount,currency,left_dates,right_dates,reasons\n");
        void Row(string status, string score, IReadOnlyList<MoneyLine> left, IReadOnlyList<MoneyLine> right, IEnumerable<string> reasons)
        {
            var currency = left.Concat(right).Select(l => l.Currency).FirstOrDefault() ?? string.Empty;
            string[] cells =
            [
                status, score,
                string.Join("; ", left.Select(l => l.Id)), string.Join("; ", right.Select(r => r.Id)),
                left.Count == 0 ? string.Empty : left.Sum(l => l.Amount).ToString("0.00##", Inv),
                right.Count == 0 ? string.Empty : right.Sum(r => r.Amount).ToString("0.00##", Inv),
                currency,
                string.Join("; ", left.Select(l => l.Date.ToString("yyyy-MM-dd", Inv))), string.Join("; ", right.Select(r => r.Date.ToString("yyyy-MM-dd", Inv))),
                string.Join("; ", reasons),
            ];
            sb.Append(string.Join(',', cells.Select(Quote))).Append('\n');
        }

        foreach (var p in Proposals)
        {
            Row(Status(p), p.Score.ToString("0.000", Inv), Lines(p.LeftIds, _left), Lines(p.RightIds, _right), p.Reasons);
        }

        foreach (var l in UnmatchedLeft)
        {
            Row("unmatched", string.Empty, [l], [], []);
        }

        foreach (var r in UnmatchedRight)
        {
            Row("unmatched", string.Empty, [], [r], []);
        }

        return sb.ToString();
    }

    /// <summary>The whole result as one JSON document.</summary>
    public string Json()
    {
        JsonArray Array(IEnumerable<MoneyLine> lines) => new(lines.Select(l => (JsonNode)new JsonObject
        {
            ["id"] = l.Id,
            ["amount"] = l.Amount,
            ["currency"] = l.Currency,
            ["date"] = l.Date.ToString("yyyy-MM-dd", Inv),
            ["text"] = l.Text,
        }).ToArray());

        var doc = new JsonObject
        {
            ["left"] = new JsonObject { ["source"] = LeftName, ["lines"] = LeftCount, ["unmatched"] = UnmatchedLeft.Count },
            ["right"] = new JsonObject { ["source"] = RightName, ["lines"] = RightCount, ["unmatched"] = UnmatchedRight.Count },
            ["confirmed"] = Confirmed,
            ["suggested"] = Suggested,
            ["proposals"] = new JsonArray(Proposals.Select(p => (JsonNode)new JsonObject
            {
                ["status"] = Status(p),
                ["score"] = Math.Round(p.Score, 4),
                ["left"] = Array(Lines(p.LeftIds, _left)),
                ["right"] = Array(Lines(p.RightIds, _right)),
                ["reasons"] = new JsonArray(p.Reasons.Select(r => (JsonNode)JsonValue.Create(r)!).ToArray()),
            }).ToArray()),
            ["unmatched_left"] = Array(UnmatchedLeft),
            ["unmatched_right"] = Array(UnmatchedRight),
        };
        return doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static string Status(MatchProposal p) => p.Status == MatchStatus.Confirmed ? "confirmed" : "suggested";

    private static List<MoneyLine> Lines(IReadOnlyList<string> ids, Dictionary<string, MoneyLine> byId) => ids.Select(id => byId[id]).ToList();

    private static string Side(IReadOnlyList<string> ids, Dictionary<string, MoneyLine> byId) => string.Join(" + ", ids.Select(id => Describe(byId[id])));

    private static string Describe(MoneyLine l) => string.Create(Inv, $"{l.Id} {l.Date:yyyy-MM-dd} {l.Amount:0.00##} {l.Currency} \"{l.Text}\"");

    /// <summary>Quotes a cell that holds a comma, a quote or a line break; a leading formula character is kept as text.</summary>
    private static string Quote(string cell)
    {
        if (cell.Length > 0 && "=+-@".Contains(cell[0], StringComparison.Ordinal) && !decimal.TryParse(cell, NumberStyles.Number, Inv, out _))
        {
            cell = "'" + cell;
        }

        return cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
    }
}
