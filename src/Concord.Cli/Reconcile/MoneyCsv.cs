using System.Globalization;
using System.Text;
using Concord.Core.Reconciliation;

namespace Concord.Cli.Reconcile;

/// <summary>
/// Reads one side of a reconciliation from a CSV file: a header row naming the columns, then one
/// money line per row. Every problem is reported with the file, the line and the column, and a file
/// with any problem yields no lines at all, so a reconciliation never runs on half a statement.
/// </summary>
internal static class MoneyCsv
{
    /// <summary>Accepted header names per column, compared without case; the first is the documented name.</summary>
    public static readonly IReadOnlyList<string> IdColumns = ["id", "line_id", "transaction_id"];

    public static readonly IReadOnlyList<string> AmountColumns = ["amount", "value"];

    public static readonly IReadOnlyList<string> CurrencyColumns = ["currency", "ccy"];

    public static readonly IReadOnlyList<string> DateColumns = ["date", "booking_date", "value_date", "transaction_date"];

    /// <summary>Text columns; when a file has several (a payee and a memo), they are joined in file order.</summary>
    public static readonly IReadOnlyList<string> TextColumns = ["text", "description", "memo", "reference", "narrative", "details", "payee", "name", "counterparty"];

    /// <summary>At most this many problems per file are listed; more would bury the first one.</summary>
    private const int MaxProblems = 10;

    /// <summary>
    /// The file's lines, or null with <paramref name="problems"/> filled. <paramref name="defaultCurrency"/>
    /// applies to files without a currency column.
    /// </summary>
    public static List<MoneyLine>? Read(FileInfo file, string? defaultCurrency, List<string> problems)
    {
        var name = file.Name;
        if (!file.Exists)
        {
            problems.Add($"{name}: no such file");
            return null;
        }

        List<(int Line, List<string> Cells)> rows;
        try
        {
            rows = Parse(File.ReadAllText(file.FullName, Encoding.UTF8), name);
        }
        catch (FormatException e)
        {
            problems.Add(e.Message);
            return null;
        }

        if (rows.Count == 0)
        {
            problems.Add($"{name}: empty; the first line must name the columns (id, amount, currency, date, text)");
            return null;
        }

        var header = rows[0].Cells.Select(c => c.Trim()).ToList();
        int Find(IReadOnlyList<string> names) => header.FindIndex(h => names.Contains(h, StringComparer.OrdinalIgnoreCase));
        var id = Find(IdColumns);
        var amount = Find(AmountColumns);
        var currency = Find(CurrencyColumns);
        var date = Find(DateColumns);
        var texts = Enumerable.Range(0, header.Count).Where(i => TextColumns.Contains(header[i], StringComparer.OrdinalIgnoreCase)).ToList();
        var before = problems.Count;
        if (amount < 0)
        {
            problems.Add($"{name}:{rows[0].Line}: no amount column (accepted names: {string.Join(", ", AmountColumns)})");
        }

        if (date < 0)
        {
            problems.Add($"{name}:{rows[0].Line}: no date column (accepted names: {string.Join(", ", DateColumns)})");
        }

        if (currency < 0 && defaultCurrency is null)
        {
            problems.Add($"{name}:{rows[0].Line}: no currency column (accepted names: {string.Join(", ", CurrencyColumns)}); add one or give --currency");
        }

        if (problems.Count > before)
        {
            return null;
        }

        var lines = new List<MoneyLine>(rows.Count - 1);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (line, cells) in rows.Skip(1))
        {
            if (problems.Count - before >= MaxProblems)
            {
                problems.Add($"{name}: more problems not listed");
                break;
            }

            if (cells.Count == 1 && cells[0].Trim().Length == 0)
            {
                continue;
            }

            if (cells.Count > header.Count)
            {
                problems.Add($"{name}:{line}: {cells.Count} values but the header names {header.Count} columns (quote a value that contains a comma)");
                continue;
            }

            string Cell(int i) => i >= 0 && i < cells.Count ? cells[i].Trim() : string.Empty;
            var lineId = id >= 0 ? Cell(id) : line.ToString(CultureInfo.InvariantCulture);
            var ok = true;
            if (lineId.Length == 0)
            {
                problems.Add($"{name}:{line}: {header[id]} is empty");
                ok = false;
            }
            else if (seen.TryGetValue(lineId, out var first))
            {
                problems.Add($"{name}:{line}: {header[id]} '{lineId}' is already on line {first}");
                ok = false;
            }
            else
            {
                seen[lineId] = line;
            }

            var amountText = Cell(amount);
            if (!TryAmount(amountText, out var value))
            {
                problems.Add(amountText.Length == 0
                    ? $"{name}:{line}: {header[amount]} is empty"
                    : $"{name}:{line}: {header[amount]} '{amountText}' is not a number (write 1250.50: a point for decimals, no thousands separators)");
                ok = false;
            }

            var dateText = Cell(date);
            if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                problems.Add(dateText.Length == 0
                    ? $"{name}:{line}: {header[date]} is empty"
                    : $"{name}:{line}: {header[date]} '{dateText}' is not a date written yyyy-MM-dd");
                ok = false;
            }

            var code = currency >= 0 && Cell(currency).Length > 0 ? Cell(currency) : defaultCurrency;
            if (code is null || !IsCurrency(code))
            {
                var column = currency >= 0 ? header[currency] : "--currency";
                problems.Add(code is null
                    ? $"{name}:{line}: {column} is empty; give one, or --currency for the lines without"
                    : $"{name}:{line}: {column} '{code}' is not a three-letter ISO 4217 code");
                ok = false;
            }

            if (ok)
            {
                var text = string.Join(' ', texts.Select(Cell).Where(t => t.Length > 0));
                lines.Add(new MoneyLine(lineId, value, code!.ToUpperInvariant(), day, text));
            }
        }

        return problems.Count > before ? null : lines;
    }

    /// <summary>A three-letter code such as EUR (any case).</summary>
    public static bool IsCurrency(string code) => code.Length == 3 && code.All(char.IsAsciiLetter);

    /// <summary>
    /// A point for decimals and no thousands separators, as the hub's money fields: "1,50" is a
    /// European 1.50 as often as it is 150, so it is refused rather than guessed.
    /// </summary>
    private static bool TryAmount(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// RFC 4180 records with the line each starts on: commas between values, double quotes around
    /// a value that holds commas, quotes or line breaks, a doubled quote for a quote inside.
    /// </summary>
    private static List<(int Line, List<string> Cells)> Parse(string content, string name)
    {
        var rows = new List<(int, List<string>)>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        var line = 1;
        var rowStart = 1;
        var quoted = false;
        var quoteLine = 0;
        var i = content.Length > 0 && content[0] == '\uFEFF' ? 1 : 0;
        for (; i < content.Length; i++)
        {
            var c = content[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < content.Length && content[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    cell.Append(c);
                }
            }
            else if (c == '"' && cell.ToString().Trim().Length == 0)
            {
                cell.Clear();
                quoted = true;
                quoteLine = line;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < content.Length && content[i + 1] == '\n')
                {
                    i++;
                }

                cells.Add(cell.ToString());
                cell.Clear();
                rows.Add((rowStart, cells));
                cells = [];
                line++;
                rowStart = line;
            }
            else
            {
                cell.Append(c);
            }
        }

        if (quoted)
        {
            throw new FormatException($"{name}:{quoteLine}: a quoted value is not closed");
        }

        if (cell.Length > 0 || cells.Count > 0)
        {
            cells.Add(cell.ToString());
            rows.Add((rowStart, cells));
        }

        // Blank lines before the header are not a header.
        while (rows.Count > 0 && rows[0].Item2.All(c => c.Trim().Length == 0))
        {
            rows.RemoveAt(0);
        }

        return rows;
    }
}
