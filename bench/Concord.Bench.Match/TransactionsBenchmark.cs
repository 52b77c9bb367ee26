using System.Diagnostics;
using System.Globalization;
using System.Text;
using Concord.Core.Reconciliation;

namespace Concord.Bench.Match;

/// <summary>
/// splink_transactions: the same bank transactions as seen by two systems (origin and destination),
/// with truncated memos, date lags and fee/FX differences; <c>ground_truth</c> pairs them 1:1.
/// Reconciled with the default options; the ground truth is kept out of what the reconciler sees.
/// </summary>
internal static class TransactionsBenchmark
{
    public static string Run(string datasets)
    {
        var folder = Path.Combine(datasets, "splink_transactions");
        var watch = Stopwatch.StartNew();
        var (left, leftTruth) = Read(Path.Combine(folder, "transactions_origin.csv"), "o");
        var (right, rightTruth) = Read(Path.Combine(folder, "transactions_destination.csv"), "d");
        var proposals = new Reconciler().Reconcile(left, right);
        watch.Stop();

        var truePairs = leftTruth.Values.Intersect(rightTruth.Values).Count();
        long predicted = 0, correct = 0, rightPartner = 0, confirmed = 0, confirmedCorrect = 0, split = 0;
        foreach (var p in proposals)
        {
            var good = 0;
            foreach (var l in p.LeftIds)
            {
                foreach (var r in p.RightIds)
                {
                    predicted++;
                    good += leftTruth[l] == rightTruth[r] ? 1 : 0;
                }
            }

            correct += good;
            rightPartner += p.IsOneToOne ? good : 0;
            split += p.IsOneToOne ? 0 : 1;
            if (p.Status == MatchStatus.Confirmed)
            {
                confirmed++;
                confirmedCorrect += p.IsOneToOne ? good : 0;
            }
        }

        var precision = predicted == 0 ? 0 : (double)correct / predicted;
        var recall = truePairs == 0 ? 0 : (double)correct / truePairs;
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        var inv = CultureInfo.InvariantCulture;
        Console.Error.WriteLine(string.Create(inv, $"transactions: proposals={proposals.Count} one_to_many={split} confirmed={confirmed} confirmed_correct={confirmedCorrect} suggested={proposals.Count - confirmed}"));
        return string.Create(inv, $"concord-match dataset=transactions records={left.Count + right.Count} pairs_true={truePairs} precision={precision:0.0000} recall={recall:0.0000} f1={f1:0.0000} seconds={watch.Elapsed.TotalSeconds:0.00} matched_correctly={(double)rightPartner / truePairs:0.0000}");
    }

    /// <summary>The lines (ids prefixed so the two files cannot collide) and each id's ground truth.</summary>
    private static (List<MoneyLine> Lines, Dictionary<string, string> Truth) Read(string path, string prefix)
    {
        var lines = new List<MoneyLine>();
        var truth = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in Csv.Read(path))
        {
            string Col(string name) => f.TryGetValue(name, out var v) ? v : throw new InvalidDataException($"{path} has no column {name}");
            var key = prefix + Col("unique_id");
            lines.Add(new MoneyLine(key, decimal.Parse(Col("amount"), NumberStyles.Float, CultureInfo.InvariantCulture), "GBP",
                DateOnly.ParseExact(Col("transaction_date")[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture), Col("memo")));
            truth[key] = Col("ground_truth");
        }

        return (lines, truth);
    }
}
