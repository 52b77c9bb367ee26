using System.Text;

namespace Concord.Core.Flows.Expressions;

/// <summary>
/// Splits an expression into tokens with a single forward scan: no regular expressions, so no input can
/// make it backtrack.
/// </summary>
internal static class Tokenizer
{
    private static readonly string[] Symbols = ["==", "!=", "<=", ">=", "??", "<", ">", "+", "-", "*", "/", "(", ")", "[", "]", ",", ".", "|", "!"];

    /// <summary>The tokens of <paramref name="text"/> between <paramref name="start"/> and <paramref name="end"/>, ending with an <see cref="TokenKind.End"/>.</summary>
    public static List<Token> Tokenize(SourceText text, int start, int end)
    {
        var tokens = new List<Token>();
        var s = text.Text;
        var i = start;
        while (i < end)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsAsciiDigit(c))
            {
                var from = i;
                while (i < end && char.IsAsciiDigit(s[i]))
                {
                    i++;
                }

                if (i + 1 < end && s[i] == '.' && char.IsAsciiDigit(s[i + 1]))
                {
                    i++;
                    while (i < end && char.IsAsciiDigit(s[i]))
                    {
                        i++;
                    }
                }

                tokens.Add(new Token(TokenKind.Number, s[from..i], from));
            }
            else if (c is '\'' or '"')
            {
                var from = i;
                var value = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= end)
                    {
                        throw text.Error(from, $"text starting here is not closed: add a {c}");
                    }

                    if (s[i] == '\\' && i + 1 < end)
                    {
                        value.Append(s[i + 1] switch { 'n' => '\n', 't' => '\t', var other => other });
                        i += 2;
                    }
                    else if (s[i] == c)
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        value.Append(s[i++]);
                    }
                }

                tokens.Add(new Token(TokenKind.Text, value.ToString(), from));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                var from = i;
                while (i < end && (char.IsAsciiLetterOrDigit(s[i]) || s[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Name, s[from..i], from));
            }
            else
            {
                var symbol = Array.Find(Symbols, candidate => i + candidate.Length <= end && string.CompareOrdinal(s, i, candidate, 0, candidate.Length) == 0);
                if (symbol is null || (symbol == "|" && i + 1 < end && s[i + 1] == '|'))
                {
                    throw text.Error(i, c switch
                    {
                        '=' => "'=' is not an operator: compare with '=='",
                        '&' => "'&&' is not an operator: write 'and'",
                        '|' => "'||' is not an operator: write 'or'",
                        _ => $"unexpected character '{c}'",
                    });
                }

                tokens.Add(new Token(TokenKind.Symbol, symbol, i));
                i += symbol.Length;
            }
        }

        tokens.Add(new Token(TokenKind.End, "", end));
        return tokens;
    }
}
