using System.CommandLine;
using Concord.Cli.Reconcile;
using Concord.Core.Reconciliation;
using Concord.Storage.Sqlite;

namespace Concord.Cli.Commands;

/// <summary>
/// <c>concord reconcile</c>: matches money on two sides and proposes pairs, Confirmed or Suggested.
/// Either two CSV files (a bank statement against a ledger export) or the hub's own payments that
/// name no invoice against its open invoices. It only proposes: nothing in the store is changed.
/// </summary>
internal static class ReconcileCommand
{
    public static Command Create()
    {
        var left = new Option<FileInfo?>("--left") { Description = "CSV of the left side (e.g. the bank statement): id, amount, currency, date, text" };
        var right = new Option<FileInfo?>("--right") { Description = "CSV of the right side (e.g. the ledger or invoices), same columns" };
        var currency = new Option<string?>("--currency") { Description = "Currency of the CSV lines that have none (files without a currency column)" };
        var payments = new Option<bool>("--payments") { Description = "Instead of files: the hub's payments that name no invoice against its invoices with money still due (read-only)" };
        var config = CommonOptions.Config();
        var amountTolerance = new Option<string?>("--amount-tolerance") { Description = "Largest amount difference for a pair, as a share (0.05 or 5%; default 15%: fees, FX)" };
        var days = new Option<string?>("--days") { Description = "Date window in days either way (default 31)" };
        var daysBefore = new Option<string?>("--days-before") { Description = "How many days the right line may be dated before the left one (default: --days)" };
        var daysAfter = new Option<string?>("--days-after") { Description = "How many days the right line may be dated after the left one (default: --days)" };
        var autoConfirm = new Option<string?>("--auto-confirm") { Description = "Score from which an unambiguous pair is Confirmed (0..1, default 0.85)" };
        var minScore = new Option<string?>("--min-score") { Description = "Score below which a pair is not proposed (0..1, default 0.5)" };
        var output = new Option<FileInfo?>("--out") { Description = "Also write the proposals and unmatched lines to this CSV file" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON instead of text" };
        var command = new Command(
            "reconcile",
            "Match money on two sides — bank lines against ledger entries, payments against invoices — with amount and date tolerances, " +
            "one to one or one to several, and propose each pair as Confirmed or Suggested. Changes nothing.")
        {
            left, right, currency, payments, config, amountTolerance, days, daysBefore, daysAfter, autoConfirm, minScore, output, json,
        };
        command.SetAction(async (result, ct) =>
        {
            var problems = new List<string>();
            var fromStore = result.GetValue(payments);
            var leftFile = result.GetValue(left);
            var rightFile = result.GetValue(right);
            if (fromStore && (leftFile is not null || rightFile is not null))
            {
                problems.Add("Give either --payments or --left and --right files, not both.");
            }
            else if (!fromStore && (leftFile is null || rightFile is null))
            {
                problems.Add("Say what to reconcile: --left FILE --right FILE (two CSV files), or --payments (the hub's payments against its open invoices).");
            }

            var defaultCurrency = result.GetValue(currency);
            if (defaultCurrency is not null && !MoneyCsv.IsCurrency(defaultCurrency))
            {
                problems.Add($"--currency: '{defaultCurrency}' is not a three-letter ISO 4217 code");
            }

            var settings = new ReconcileSettings(
                result.GetValue(amountTolerance), result.GetValue(days), result.GetValue(daysBefore), result.GetValue(daysAfter),
                result.GetValue(autoConfirm), result.GetValue(minScore));
            var options = settings.ToOptions(problems);
            if (problems.Count > 0 || options is null)
            {
                return Fail(problems);
            }

            List<MoneyLine>? leftLines, rightLines;
            string leftName, rightName;
            if (fromStore)
            {
                var file = result.GetValue(config)!;
                var loaded = CommonOptions.LoadOrReport(file, checkEnvironment: false, Console.Error);
                if (loaded is null)
                {
                    return 1;
                }

                var path = Path.IsPathRooted(loaded.Hub.Data) ? loaded.Hub.Data : Path.Combine(file.DirectoryName!, loaded.Hub.Data);
                if (!File.Exists(path))
                {
                    return Fail([$"{path}: no hub store yet; run the hub (`concord run`) so that it holds payments and invoices"]);
                }

                // Reads only; the store is not initialised, so nothing is migrated or written and a running hub is not disturbed.
                await using var store = new SqliteHubStore(path);
                var (p, i, read) = await StoreSides.ReadAsync(store, ct);
                (leftLines, rightLines, leftName, rightName) = (p, i, "payments", "invoices");
                if (!result.GetValue(json))
                {
                    Console.WriteLine(read);
                }
            }
            else
            {
                leftLines = MoneyCsv.Read(leftFile!, defaultCurrency, problems);
                rightLines = MoneyCsv.Read(rightFile!, defaultCurrency, problems);
                (leftName, rightName) = (leftFile!.Name, rightFile!.Name);
                if (leftLines is null || rightLines is null)
                {
                    return Fail(problems);
                }
            }

            var proposals = new Reconciler(options).Reconcile(leftLines, rightLines);
            var report = new ReconcileReport(leftName, leftLines, rightName, rightLines, proposals);
            if (result.GetValue(output) is { } outFile)
            {
                // Written beside the target, then moved over it: a failed run leaves no half-written file.
                var temp = outFile.FullName + ".tmp";
                await File.WriteAllTextAsync(temp, report.Csv(), ct);
                File.Move(temp, outFile.FullName, overwrite: true);
            }

            if (result.GetValue(json))
            {
                Console.WriteLine(report.Json());
            }
            else
            {
                foreach (var line in report.TextLines())
                {
                    Console.WriteLine(line);
                }
            }

            return 0;
        });
        return command;
    }

    private static int Fail(IEnumerable<string> problems)
    {
        foreach (var p in problems)
        {
            Console.Error.WriteLine(p);
        }

        return 1;
    }
}
