using System.Globalization;
using System.Net.Mail;
using System.Text;

namespace Concord.Connectors.Smtp;

/// <summary>
/// Writes a plain-text message (RFC 5322 with MIME): headers that cannot be injected into, a
/// subject and names encoded when they are not ASCII, the body in base64 when it is not 7-bit
/// safe, and <c>Auto-Submitted: auto-generated</c> so that out-of-office replies are not sent back.
/// </summary>
public static class MailText
{
    /// <summary>Names the run that sent a message, for whoever reads the headers.</summary>
    public const string RunHeader = "X-Concord-Run";

    /// <summary>
    /// <c>&lt;key@domain&gt;</c>: the same for every attempt of one step, so a message sent twice (an
    /// answer lost after the server took it) is recognisable as one — and mail clients thread it as one.
    /// </summary>
    public static string MessageId(string idempotencyKey, string domain)
    {
        var left = new StringBuilder(idempotencyKey.Length);
        foreach (var c in idempotencyKey)
        {
            left.Append(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+/=?^_`{|}~-.".Contains(c, StringComparison.Ordinal) ? c : '-');
        }

        var id = string.Join('.', left.ToString().Split('.', StringSplitOptions.RemoveEmptyEntries));
        return $"<{(id.Length == 0 ? "concord" : id)}@{domain}>";
    }

    /// <summary>The whole message, CRLF line ends, ready for DATA (before dot-stuffing).</summary>
    public static byte[] Write(MailAddress from, IReadOnlyList<MailAddress> to, IReadOnlyList<MailAddress> cc, string subject, string text, string messageId, DateTimeOffset date, string? run)
    {
        var headers = new StringBuilder();
        Header(headers, "Date", date.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture));
        Header(headers, "From", Address(from));
        Header(headers, "To", string.Join(", ", to.Select(Address)));
        if (cc.Count > 0)
        {
            Header(headers, "Cc", string.Join(", ", cc.Select(Address)));
        }

        Header(headers, "Subject", Encoded(OneLine(subject)));
        Header(headers, "Message-ID", messageId);
        Header(headers, "MIME-Version", "1.0");
        Header(headers, "Content-Type", "text/plain; charset=utf-8");
        Header(headers, "Auto-Submitted", "auto-generated");
        if (run is not null)
        {
            Header(headers, RunHeader, OneLine(run));
        }

        var body = string.Join("\r\n", text.ReplaceLineEndings("\n").Split('\n'));
        var sevenBit = body.All(c => c < 128 && c != '\0') && body.Split("\r\n").All(line => line.Length <= 998);
        Header(headers, "Content-Transfer-Encoding", sevenBit ? "7bit" : "base64");
        headers.Append("\r\n");
        headers.Append(sevenBit ? body : Base64Lines(Encoding.UTF8.GetBytes(body)));
        headers.Append("\r\n");
        return Encoding.ASCII.GetBytes(headers.ToString());
    }

    /// <summary>An address as a header shows it: <c>"Name" &lt;a@b&gt;</c>, the name encoded when it is not plain ASCII.</summary>
    private static string Address(MailAddress address)
    {
        if (string.IsNullOrWhiteSpace(address.DisplayName))
        {
            return $"<{address.Address}>";
        }

        var name = OneLine(address.DisplayName);
        var plain = name.All(c => c is >= ' ' and < (char)127);
        return plain ? $"\"{name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\" <{address.Address}>" : $"{Encoded(name)} <{address.Address}>";
    }

    /// <summary>Text as a header value: as it is when it is short printable ASCII, else RFC 2047 base64 words of UTF-8.</summary>
    private static string Encoded(string text)
    {
        if (text.All(c => c is >= ' ' and < (char)127) && text.Length <= 900)
        {
            return text;
        }

        // Words of at most 36 bytes (48 characters of base64), so that a line with its header name stays
        // within 78 characters; a character is never split between words.
        var words = new List<string>();
        var chunk = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (Encoding.UTF8.GetByteCount(chunk.ToString()) + rune.Utf8SequenceLength > 36)
            {
                words.Add(Word(chunk.ToString()));
                chunk.Clear();
            }

            chunk.Append(rune.ToString());
        }

        if (chunk.Length > 0)
        {
            words.Add(Word(chunk.ToString()));
        }

        return string.Join("\r\n ", words);

        static string Word(string s) => "=?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(s)) + "?=";
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    private static void Header(StringBuilder headers, string name, string value) => headers.Append(name).Append(": ").Append(value).Append("\r\n");

    private static string Base64Lines(byte[] bytes)
    {
        var base64 = Convert.ToBase64String(bytes);
        var lines = new StringBuilder(base64.Length + base64.Length / 76 * 2);
        for (var i = 0; i < base64.Length; i += 76)
        {
            if (i > 0)
            {
                lines.Append("\r\n");
            }

            lines.Append(base64, i, Math.Min(76, base64.Length - i));
        }

        return lines.ToString();
    }
}
