using System.Text;

namespace Concord.Core.Matching;

/// <summary>
/// The NYSIIS phonetic key (New York State Identification and Intelligence System, Taft 1970):
/// names that sound alike ("Allen", "Alan") get the same key. Used for blocking and as a
/// comparison level. Keys are not truncated, so longer names stay apart.
/// </summary>
public static class Nysiis
{
    /// <summary>The key of a name; empty when it has no letters.</summary>
    public static string Key(string name)
    {
        var letters = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsAsciiLetter(c))
            {
                letters.Append(char.ToUpperInvariant(c));
            }
        }

        if (letters.Length == 0)
        {
            return string.Empty;
        }

        var s = FixEnding(FixStart(letters.ToString()));
        var key = new StringBuilder(s.Length);
        key.Append(s[0]);
        var chars = s.ToCharArray();
        for (var i = 1; i < chars.Length; i++)
        {
            var skip = 0;
            string code;
            var c = chars[i];
            if (c == 'E' && Next(chars, i) == 'V')
            {
                code = "AF";
                skip = 1;
            }
            else if (IsVowel(c))
            {
                code = "A";
            }
            else if (c == 'Q')
            {
                code = "G";
            }
            else if (c == 'Z')
            {
                code = "S";
            }
            else if (c == 'M')
            {
                code = "N";
            }
            else if (c == 'K')
            {
                code = Next(chars, i) == 'N' ? "N" : "C";
                skip = Next(chars, i) == 'N' ? 1 : 0;
            }
            else if (c == 'S' && Next(chars, i) == 'C' && Next(chars, i + 1) == 'H')
            {
                code = "SSS";
                skip = 2;
            }
            else if (c == 'P' && Next(chars, i) == 'H')
            {
                code = "FF";
                skip = 1;
            }
            else if (c == 'H' && (!IsVowel(chars[i - 1]) || !IsVowel(Next(chars, i))))
            {
                code = chars[i - 1].ToString();
            }
            else if (c == 'W' && IsVowel(chars[i - 1]))
            {
                code = chars[i - 1].ToString();
            }
            else
            {
                code = c.ToString();
            }

            // The rewritten letters stand in the name for what follows (the original's "set name[i] = code").
            for (var k = 0; k < code.Length && i + k < chars.Length; k++)
            {
                chars[i + k] = code[k];
            }

            foreach (var ch in code)
            {
                if (key[^1] != ch)
                {
                    key.Append(ch);
                }
            }

            i += skip;
        }

        if (key.Length > 1 && key[^1] == 'S')
        {
            key.Length--;
        }

        if (key.Length > 2 && key[^2] == 'A' && key[^1] == 'Y')
        {
            key.Remove(key.Length - 2, 1);
        }

        if (key.Length > 1 && key[^1] == 'A')
        {
            key.Length--;
        }

        return key.ToString();
    }

    private static string FixStart(string s) =>
        s.StartsWith("MAC", StringComparison.Ordinal) ? "MCC" + s[3..]
        : s.StartsWith("KN", StringComparison.Ordinal) ? "NN" + s[2..]
        : s.StartsWith('K') ? "C" + s[1..]
        : s.StartsWith("PH", StringComparison.Ordinal) || s.StartsWith("PF", StringComparison.Ordinal) ? "FF" + s[2..]
        : s.StartsWith("SCH", StringComparison.Ordinal) ? "SSS" + s[3..]
        : s;

    private static string FixEnding(string s) =>
        s.EndsWith("EE", StringComparison.Ordinal) || s.EndsWith("IE", StringComparison.Ordinal) ? s[..^2] + "Y"
        : s.EndsWith("DT", StringComparison.Ordinal) || s.EndsWith("RT", StringComparison.Ordinal) || s.EndsWith("RD", StringComparison.Ordinal)
          || s.EndsWith("NT", StringComparison.Ordinal) || s.EndsWith("ND", StringComparison.Ordinal) ? s[..^2] + "D"
        : s;

    private static bool IsVowel(char c) => c is 'A' or 'E' or 'I' or 'O' or 'U';

    private static char Next(char[] chars, int i) => i + 1 < chars.Length ? chars[i + 1] : '\0';
}
