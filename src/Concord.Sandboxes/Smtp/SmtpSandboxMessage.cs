using System.Text;
using System.Text.RegularExpressions;

namespace Concord.Sandboxes.Smtp;

/// <summary>A message the SMTP sandbox accepted, as received, with its headers and text decoded for tests to read.</summary>
/// <param name="From">The envelope sender (MAIL FROM).</param>
/// <param name="Recipients">The envelope recipients (RCPT TO), in order.</param>
/// <param name="Data">The message exactly as received after DATA, dot-stuffing undone.</param>
/// <param name="Encrypted">Whether it arrived over TLS.</param>
/// <param name="User">Who signed in to send it, if anyone did.</param>
/// <param name="QueueId">The id the sandbox answered with (<c>queued as …</c>).</param>
public sealed partial record SmtpSandboxMessage(string From, IReadOnlyList<string> Recipients, string Data, bool Encrypted, string? User, string QueueId)
{
    /// <summary>Header fields by name (case-insensitive), unfolded; the first of repeated ones.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; } = ParseHeaders(Data);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string? MessageId => Header("Message-ID");

    /// <summary>The subject with RFC 2047 encoded words decoded.</summary>
    public string? Subject => Header("Subject") is { } subject ? DecodeWords(subject) : null;

    /// <summary>The body decoded per its Content-Transfer-Encoding, with <c>\n</c> line ends.</summary>
    public string Text
    {
        get
        {
            var at = Data.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var body = at < 0 ? "" : Data[(at + 4)..];
            var decoded = (Header("Content-Transfer-Encoding") ?? "7bit").Trim().ToLowerInvariant() switch
            {
                "base64" => Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(body.Where(c => !char.IsWhiteSpace(c))))),
                "quoted-printable" => QuotedPrintable(body),
                _ => body,
            };
            return decoded.ReplaceLineEndings("\n").TrimEnd('\n');
        }
    }

    private static Dictionary<string, string> ParseHeaders(string data)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var end = data.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var block = end < 0 ? data : data[..end];
        string? name = null;
        var value = new StringBuilder();
        foreach (var line in block.Split("\r\n"))
        {
            if (line.Length > 0 && line[0] is ' ' or '\t' && name is not null)
            {
                value.Append(line);
                continue;
            }

            if (name is not null)
            {
                headers.TryAdd(name, value.ToString().Trim());
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            name = colon > 0 ? line[..colon] : null;
            value.Clear().Append(colon > 0 ? line[(colon + 1)..] : "");
        }

        if (name is not null)
        {
            headers.TryAdd(name, value.ToString().Trim());
        }

        return headers;
    }

    /// <summary>Decodes <c>=?charset?B|Q?…?=</c> words; whitespace between adjacent words is dropped, as RFC 2047 says.</summary>
    private static string DecodeWords(string value)
    {
        var joined = AdjacentWords().Replace(value, "?==?");
        return EncodedWord().Replace(joined, m =>
        {
            var encoding = Encoding.GetEncoding(m.Groups["charset"].Value);
            var text = m.Groups["text"].Value;
            return m.Groups["kind"].Value.ToUpperInvariant() == "B"
                ? encoding.GetString(Convert.FromBase64String(text))
                : QuotedPrintable(text.Replace('_', ' '), encoding);
        });
    }

    private static string QuotedPrintable(string text, Encoding? encoding = null)
    {
        var bytes = new List<byte>();
        var soft = text.Replace("=\r\n", "", StringComparison.Ordinal);
        for (var i = 0; i < soft.Length; i++)
        {
            if (soft[i] == '=' && i + 2 < soft.Length && Uri.IsHexDigit(soft[i + 1]) && Uri.IsHexDigit(soft[i + 2]))
            {
                bytes.Add(Convert.ToByte(soft.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(soft[i].ToString()));
            }
        }

        return (encoding ?? Encoding.UTF8).GetString(bytes.ToArray());
    }

    [GeneratedRegex(@"=\?(?<charset>[^?]+)\?(?<kind>[BbQq])\?(?<text>[^?]*)\?=")]
    private static partial Regex EncodedWord();

    [GeneratedRegex(@"\?=\s+=\?")]
    private static partial Regex AdjacentWords();
}
