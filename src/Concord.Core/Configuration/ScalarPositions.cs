using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Concord.Core.Configuration;

/// <summary>
/// Turns a position inside a scalar's value (as an expression error gives it) into a position in the
/// file, so that a mistake in a template is reported where it was typed: past the opening quote,
/// past escapes, and on the right line of a <c>|</c> block.
/// </summary>
internal sealed class ScalarPositions(string text)
{
    private readonly string[] _lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

    /// <summary>The file line and column of <paramref name="line"/>, <paramref name="column"/> (1-based) in the value of <paramref name="scalar"/>.</summary>
    public (int Line, int Column) Locate(YamlScalarNode scalar, int line, int column)
    {
        var startLine = (int)scalar.Start.Line;
        var startColumn = (int)scalar.Start.Column;
        if (startLine < 1 || startLine > _lines.Length)
        {
            return (startLine, startColumn);
        }

        var singleLine = scalar.Start.Line == scalar.End.Line && line == 1;
        switch (scalar.Style)
        {
            case ScalarStyle.Plain when singleLine:
                return (startLine, startColumn + column - 1);
            case ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted when singleLine:
                return (startLine, startColumn + 1 + RawOffset(_lines[startLine - 1], startColumn, column - 1, scalar.Style));
            case ScalarStyle.Literal:
                return Literal(startLine, line, column);
            default:
                return Search(scalar, line, column) ?? (startLine, startColumn);
        }
    }

    /// <summary>How many source characters after the opening quote hold the first <paramref name="decoded"/> characters of the value.</summary>
    private static int RawOffset(string sourceLine, int quoteColumn, int decoded, ScalarStyle style)
    {
        var raw = quoteColumn;
        for (var seen = 0; seen < decoded && raw < sourceLine.Length; seen++)
        {
            if (style == ScalarStyle.DoubleQuoted && sourceLine[raw] == '\\' && raw + 1 < sourceLine.Length)
            {
                raw += sourceLine[raw + 1] switch { 'x' => 4, 'u' => 6, 'U' => 10, _ => 2 };
            }
            else if (style == ScalarStyle.SingleQuoted && sourceLine[raw] == '\'' && raw + 1 < sourceLine.Length && sourceLine[raw + 1] == '\'')
            {
                raw += 2;
            }
            else
            {
                raw++;
            }
        }

        return raw - quoteColumn;
    }

    /// <summary>A <c>|</c> block keeps its lines: value line n is the n-th line under the indicator, after the block's indentation.</summary>
    private (int Line, int Column) Literal(int headerLine, int line, int column)
    {
        var indent = 0;
        for (var i = headerLine; i < _lines.Length; i++)
        {
            if (_lines[i].Trim().Length > 0)
            {
                indent = _lines[i].Length - _lines[i].TrimStart(' ').Length;
                break;
            }
        }

        return (headerLine + line, indent + column);
    }

    /// <summary>Folded and multi-line flow scalars change their line breaks: find the text at the error in the scalar's lines instead.</summary>
    private (int Line, int Column)? Search(YamlScalarNode scalar, int line, int column)
    {
        var valueLines = (scalar.Value ?? "").Split('\n');
        if (line < 1 || line > valueLines.Length)
        {
            return null;
        }

        var valueLine = valueLines[line - 1];
        var at = Math.Clamp(column - 1, 0, valueLine.Length);
        var after = valueLine[at..Math.Min(valueLine.Length, at + 16)];
        var before = valueLine[Math.Max(0, at - 16)..at];
        var (snippet, shift) = after.Trim().Length > 0 ? (after, 0) : (before, before.Length);
        if (snippet.Trim().Length == 0)
        {
            return null;
        }

        for (var i = (int)scalar.Start.Line - 1; i < Math.Min(_lines.Length, (int)scalar.End.Line); i++)
        {
            var from = i == scalar.Start.Line - 1 ? (int)scalar.Start.Column - 1 : 0;
            var found = from < _lines[i].Length ? _lines[i].IndexOf(snippet, from, StringComparison.Ordinal) : -1;
            if (found >= 0)
            {
                return (i + 1, found + shift + 1);
            }
        }

        return null;
    }
}
