using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Concord.Connectors.Smtp;

/// <summary>
/// One conversation with a mail server (RFC 5321): greeting, EHLO, STARTTLS, AUTH, then mail
/// transactions. Written over a socket rather than <c>System.Net.Mail.SmtpClient</c>, which cannot
/// speak TLS from the first byte (port 465), checks certificates only through a process-wide
/// callback, and hides the server's reply codes that decide whether a failure is worth retrying.
/// </summary>
public sealed class SmtpSession : IAsyncDisposable
{
    private const int MaxLine = 8192;

    private readonly TcpClient _tcp;
    private readonly SmtpOptions _options;
    private readonly byte[] _buffer = new byte[4096];
    private Stream _stream;
    private int _start;
    private int _end;

    private SmtpSession(TcpClient tcp, Stream stream, SmtpOptions options)
    {
        _tcp = tcp;
        _stream = stream;
        _options = options;
    }

    /// <summary>The extensions the server announced in its last EHLO reply (keyword → parameters), upper-case keywords.</summary>
    public IReadOnlyDictionary<string, string> Extensions { get; private set; } = new Dictionary<string, string>();

    /// <summary>Whether the connection is encrypted.</summary>
    public bool Encrypted => _stream is SslStream;

    /// <summary>Whether the session signed in.</summary>
    public bool Authenticated { get; private set; }

    /// <summary>Connects, reads the greeting, says EHLO, secures the connection and signs in, as the options ask.</summary>
    /// <exception cref="SmtpReplyException">The server refused a step.</exception>
    /// <exception cref="SmtpCapabilityException">The server cannot do what the options ask.</exception>
    public static async Task<SmtpSession> OpenAsync(SmtpOptions options, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        SmtpSession? session = null;
        try
        {
            await tcp.ConnectAsync(options.Host, options.Port, cancellationToken);
            Stream stream = tcp.GetStream();
            if (options.Security == SmtpSecurity.Tls)
            {
                stream = await SecureAsync(stream, options, cancellationToken);
            }

            session = new SmtpSession(tcp, stream, options);
            Expect("the greeting", await session.ReadReplyAsync(cancellationToken), 220);
            await session.HelloAsync(cancellationToken);
            if (options.Security == SmtpSecurity.StartTls)
            {
                await session.StartTlsAsync(cancellationToken);
            }

            if (options.Username is not null)
            {
                await session.AuthenticateAsync(options.Username, options.Password ?? "", cancellationToken);
            }

            return session;
        }
        catch
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }
            else
            {
                tcp.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// One message: MAIL FROM, RCPT TO for each recipient, DATA. Any refusal aborts the whole
    /// message (RSET), so it goes to all recipients or to none. Returns the reply to the data.
    /// </summary>
    public async Task<SmtpReply> SendAsync(string from, IReadOnlyList<string> recipients, byte[] message, CancellationToken cancellationToken)
    {
        try
        {
            await CommandAsync($"MAIL FROM:<{from}>", null, cancellationToken, 250);
            foreach (var recipient in recipients)
            {
                await CommandAsync($"RCPT TO:<{recipient}>", null, cancellationToken, 250, 251);
            }

            await CommandAsync("DATA", null, cancellationToken, 354);
            await _stream.WriteAsync(DotStuffed(message), cancellationToken);
            await _stream.FlushAsync(cancellationToken);
            var reply = await ReadReplyAsync(cancellationToken);
            return Expect("the message", reply, 250);
        }
        catch (SmtpReplyException)
        {
            await ResetQuietlyAsync(cancellationToken);
            throw;
        }
    }

    /// <summary>Says goodbye; the server's answer does not matter any more.</summary>
    public async Task QuitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WriteLineAsync("QUIT", cancellationToken);
            await ReadReplyAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException or SmtpReplyException)
        {
            // The message was accepted before QUIT; a server that hangs up first has lost nothing.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }

    private static async Task<SslStream> SecureAsync(Stream stream, SmtpOptions options, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = options.Host,
            RemoteCertificateValidationCallback = options.CertificateValidation,
        }, cancellationToken);
        return ssl;
    }

    private async Task HelloAsync(CancellationToken cancellationToken)
    {
        await WriteLineAsync($"EHLO {_options.ClientName}", cancellationToken);
        var reply = await ReadReplyAsync(cancellationToken);
        if (reply.Code == 250)
        {
            Extensions = reply.Lines.Skip(1)
                .Select(line => line.Split(' ', 2))
                .GroupBy(parts => parts[0].ToUpperInvariant(), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().Length > 1 ? g.First()[1] : "", StringComparer.Ordinal);
            return;
        }

        // A server that does not know EHLO (RFC 821) still speaks HELO, without extensions.
        await CommandAsync($"HELO {_options.ClientName}", null, cancellationToken, 250);
        Extensions = new Dictionary<string, string>();
    }

    private async Task StartTlsAsync(CancellationToken cancellationToken)
    {
        if (!Extensions.ContainsKey("STARTTLS"))
        {
            throw new SmtpCapabilityException($"{_options.Host}:{_options.Port} does not offer STARTTLS", "security");
        }

        await CommandAsync("STARTTLS", null, cancellationToken, 220);

        // Anything the server sent after its 220 arrived unprotected: refuse it rather than read it as if it came over TLS.
        if (_start != _end)
        {
            throw new IOException("the mail server sent data before the TLS handshake");
        }

        _stream = await SecureAsync(_stream, _options, cancellationToken);
        await HelloAsync(cancellationToken);
    }

    private async Task AuthenticateAsync(string username, string password, CancellationToken cancellationToken)
    {
        var mechanisms = Extensions.TryGetValue("AUTH", out var offered)
            ? offered.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(m => m.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal)
            : [];
        if (mechanisms.Contains("PLAIN"))
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{username}\0{password}"));
            await CommandAsync($"AUTH PLAIN {token}", "AUTH PLAIN (credentials hidden)", cancellationToken, 235);
        }
        else if (mechanisms.Contains("LOGIN"))
        {
            await CommandAsync("AUTH LOGIN", null, cancellationToken, 334);
            await CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(username)), "AUTH LOGIN (username)", cancellationToken, 334);
            await CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(password)), "AUTH LOGIN (password hidden)", cancellationToken, 235);
        }
        else
        {
            throw new SmtpCapabilityException(
                $"{_options.Host}:{_options.Port} offers no sign-in the connector speaks (PLAIN or LOGIN){(mechanisms.Count > 0 ? $"; it offers {string.Join(", ", mechanisms)}" : "")}" +
                (Encrypted ? "" : "; many servers offer it only over TLS"),
                Encrypted ? "username" : "security");
        }

        Authenticated = true;
    }

    private async Task ResetQuietlyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WriteLineAsync("RSET", cancellationToken);
            await ReadReplyAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // The session ends anyway; the refusal that caused the reset is what matters.
        }
    }

    private async Task<SmtpReply> CommandAsync(string command, string? shown, CancellationToken cancellationToken, params int[] expected)
    {
        await WriteLineAsync(command, cancellationToken);
        return Expect(shown ?? command, await ReadReplyAsync(cancellationToken), expected);
    }

    private static SmtpReply Expect(string what, SmtpReply reply, params int[] expected) =>
        expected.Contains(reply.Code) ? reply : throw new SmtpReplyException(what, reply);

    private async Task WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"), cancellationToken);
        await _stream.FlushAsync(cancellationToken);
    }

    private async Task<SmtpReply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            if (line.Length < 3 || !char.IsAsciiDigit(line[0]) || !char.IsAsciiDigit(line[1]) || !char.IsAsciiDigit(line[2]) || (line.Length > 3 && line[3] is not (' ' or '-')))
            {
                throw new IOException($"the mail server sent a line that is not an SMTP reply: '{(line.Length > 60 ? line[..60] : line)}'");
            }

            lines.Add(line.Length > 4 ? line[4..] : "");
            if (line.Length == 3 || line[3] == ' ')
            {
                return new SmtpReply(int.Parse(line.AsSpan(0, 3), System.Globalization.CultureInfo.InvariantCulture), lines);
            }
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new List<byte>(128);
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = await _stream.ReadAsync(_buffer, cancellationToken);
                if (_end == 0)
                {
                    throw new IOException("the mail server closed the connection");
                }
            }

            var b = _buffer[_start++];
            if (b == (byte)'\n')
            {
                if (line.Count > 0 && line[^1] == (byte)'\r')
                {
                    line.RemoveAt(line.Count - 1);
                }

                return Encoding.UTF8.GetString(line.ToArray());
            }

            line.Add(b);
            if (line.Count > MaxLine)
            {
                throw new IOException("the mail server sent a reply line longer than 8 KiB");
            }
        }
    }

    /// <summary>The message with CRLF line ends, lines starting with a dot doubled, and the ending <c>CRLF.CRLF</c>.</summary>
    internal static byte[] DotStuffed(byte[] message)
    {
        using var output = new MemoryStream(message.Length + 64);
        var lineStart = true;
        for (var i = 0; i < message.Length; i++)
        {
            var b = message[i];
            if (lineStart && b == (byte)'.')
            {
                output.WriteByte((byte)'.');
            }

            if (b == (byte)'\n' && (i == 0 || message[i - 1] != (byte)'\r'))
            {
                output.WriteByte((byte)'\r');
            }

            if (b == (byte)'\r' && (i + 1 >= message.Length || message[i + 1] != (byte)'\n'))
            {
                output.Write("\r\n"u8);
                lineStart = true;
                continue;
            }

            output.WriteByte(b);
            lineStart = b == (byte)'\n';
        }

        output.Write(lineStart && message.Length > 0 ? ".\r\n"u8 : "\r\n.\r\n"u8);
        return output.ToArray();
    }
}
