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
        using var reader = new StreamReader(path);
        var header = Csv.Split(reader.ReadLine() ?? throw new InvalidDataException($"{path} is empty"));
        int Col(string name) => header.IndexOf(name) is var i and >= 0 ? i : throw new InvalidDataException($"{path} has no column {name}");
        int gt = Col("ground_truth"), memo = Col("memo"), date = Col("transaction_date"), amount = Col("amount"), id = Col("unique_id");
        while (reader.ReadLine() is { } row)
        {
            var f = Csv.Split(row);
            var key = prefix + f[id];
            lines.Add(new MoneyLine(key, decimal.Parse(f[amount], NumberStyles.Float, CultureInfo.InvariantCulture), "GBP", DateOnly.ParseExact(f[date][..10], "yyyy-MM-dd", CultureInfo.InvariantCulture), f[memo]));
            truth[key] = f[gt];
        }

        return (lines, truth);
    }

    /// <summary>Splits one CSV row: commas separate, double quotes enclose a field, "" inside quotes is a quote.</summary>
    private static class Csv
    {
        public static List<string> Split(string row)
        {
            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            for (var i = 0; i < row.Length; i++)
            {
                var c = row[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < row.Length && row[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else if (c == '"')
                    {
                        quoted = false;
                    }
                    else
                    {
                        field.Append(c);
                    }
                }
                else if (c == '"')
                {
                    quoted = true;
                }
                else if (c == ',')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                }
                else
                {
                    field.Append(c);
                }
            }

            fields.Add(field.ToString());
            return fields;
        }
    }
}
