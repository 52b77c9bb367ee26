using System.Text;

namespace Concord.Bench.Match;

/// <summary>Reads the datasets' CSV files: a header row, fields separated by commas, optionally quoted, trimmed.</summary>
internal static class Csv
{
    /// <summary>Rows as column name → value; single quotes around a whole value (the restaurant ids) are dropped too.</summary>
    public static List<Dictionary<string, string>> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"dataset file not found: {path}", path);
        }

        using var reader = new StreamReader(path);
        var header = Split(reader.ReadLine() ?? string.Empty);
        var rows = new List<Dictionary<string, string>>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var cells = Split(line);
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var c = 0; c < header.Count; c++)
            {
                row[header[c]] = c < cells.Count ? cells[c] : string.Empty;
            }

            rows.Add(row);
        }

        return rows;
    }

    private static List<string> Split(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(ch);
                }
            }
            else if (ch == '"' && cell.ToString().Trim().Length == 0)
            {
                cell.Clear();
                quoted = true;
            }
            else if (ch == ',')
            {
                cells.Add(Clean(cell.ToString()));
                cell.Clear();
            }
            else
            {
                cell.Append(ch);
            }
        }

        cells.Add(Clean(cell.ToString()));
        return cells;
    }

    private static string Clean(string value)
    {
        var v = value.Trim();
        return v.Length >= 2 && v[0] == '\'' && v[^1] == '\'' ? v[1..^1] : v;
    }
}
