using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Concord.Sandboxes.Smtp;

/// <summary>
/// A mail server on loopback that keeps what it is sent: a real TCP SMTP server speaking the ESMTP
/// a sender needs (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), optionally STARTTLS or TLS
/// from the first byte with a self-signed certificate, and AUTH PLAIN/LOGIN. Replies use the codes
/// and enhanced status codes a Postfix server gives. Tests read <see cref="Messages"/>, and make it
/// refuse on demand: a recipient, the next MAIL or DATA with a 4xx or 5xx.
/// </summary>
public sealed class SmtpSandbox : IAsyncDisposable
{
    /// <summary>Larger messages are refused with 552, as a server's size limit does.</summary>
    public const int MaxMessageBytes = 10 * 1024 * 1024;

    private const string Name = "sandbox.concord.test";

    private readonly X509Certificate2? _certificate;
    private readonly bool _implicitTls;
    private readonly ConcurrentQueue<SmtpSandboxMessage> _messages = new();
    private readonly ConcurrentQueue<string> _commands = new();
    private readonly ConcurrentDictionary<string, int> _rejected = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _faults = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _sessions = [];
    private TcpListener? _listener;
    private Task? _accepting;
    private (string User, string Password)? _account;
    private int _queued;
    private int _connections;

    /// <summary>
    /// A server; with <paramref name="certificate"/> (which stays the caller's to dispose) it offers
    /// STARTTLS, or with <paramref name="implicitTls"/> speaks TLS from the first byte.
    /// </summary>
    public SmtpSandbox(X509Certificate2? certificate = null, bool implicitTls = false)
    {
        if (implicitTls && certificate is null)
        {
            throw new ArgumentException("TLS from the first byte needs a certificate", nameof(certificate));
        }

        _certificate = certificate;
        _implicitTls = implicitTls;
    }

    public string Host => "127.0.0.1";

    public int Port { get; private set; }

    /// <summary>Every message accepted, oldest first.</summary>
    public IReadOnlyList<SmtpSandboxMessage> Messages => _messages.ToArray();

    /// <summary>Every command line received, oldest first, with credentials replaced by <c>(hidden)</c>.</summary>
    public IReadOnlyList<string> Commands => _commands.ToArray();

    /// <summary>The AUTH mechanisms announced (the sandbox speaks PLAIN and LOGIN; announce one to make a client use it).</summary>
    public string AuthMechanisms { get; set; } = "PLAIN LOGIN";

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>A self-signed certificate for 127.0.0.1 and localhost, valid for a day.</summary>
    public static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    /// <summary>Mail is accepted only after AUTH with this account, offered only over TLS when the server has a certificate.</summary>
    public void RequireAuth(string user, string password) => _account = (user, password);

    /// <summary>RCPT TO this address is refused with <paramref name="code"/> (550: no such user; 450: mailbox busy).</summary>
    public void RejectRecipient(string address, int code = 550) => _rejected[address] = code;

    /// <summary>The next <paramref name="count"/> MAIL or DATA commands (<paramref name="verb"/>) are refused with <paramref name="code"/>; DATA is refused after the message was sent.</summary>
    public void Fail(string verb, int code, int count = 1)
    {
        var queue = _faults.GetOrAdd(verb.ToUpperInvariant(), _ => new ConcurrentQueue<int>());
        for (var i = 0; i < count; i++)
        {
            queue.Enqueue(code);
        }
    }

    public Task StartAsync()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync(_stop.Token);
        return Task.CompletedTask;
    }

    private async Task AcceptAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener!.AcceptTcpClientAsync(stop);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            lock (_sessions)
            {
                _sessions.Add(ServeAsync(client, stop));
            }
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stop)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                if (_implicitTls)
                {
                    stream = await ServerTlsAsync(stream, stop);
                }

                await new Session(this, stream).RunAsync(stop);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
            {
                // The client went away or the sandbox is stopping: the session simply ends.
            }
        }
    }

    private async Task<SslStream> ServerTlsAsync(Stream stream, CancellationToken stop)
    {
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, stop);
        return ssl;
    }

    private int? TakeFault(string verb) => _faults.TryGetValue(verb, out var queue) && queue.TryDequeue(out var code) ? code : null;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener?.Stop();
        if (_accepting is not null)
        {
            await _accepting;
        }

        Task[] sessions;
        lock (_sessions)
        {
            sessions = [.. _sessions];
        }

        await Task.WhenAll(sessions);
        _stop.Dispose();
    }

    /// <summary>One client connection: the state of its dialogue.</summary>
    private sealed class Session(SmtpSandbox server, Stream stream)
    {
        private readonly byte[] _buffer = new byte[8192];
        private Stream _stream = stream;
        private int _start;
        private int _end;
        private bool _greeted;
        private string? _user;
        private string? _from;
        private readonly List<string> _recipients = [];

        private bool Encrypted => _stream is SslStream;

        private bool OffersTls => server._certificate is not null && !Encrypted;

        private bool OffersAuth => server._account is not null && (Encrypted || server._certificate is null);

        public async Task RunAsync(CancellationToken stop)
        {
            await ReplyAsync(220, $"{Name} ESMTP Concord sandbox", stop);
            while (true)
            {
                var line = await ReadLineAsync(1000, stop);
                if (line is null)
                {
                    await ReplyAsync(500, "5.5.0 Error: line too long", stop);
                    continue;
                }

                var space = line.IndexOf(' ', StringComparison.Ordinal);
                var verb = (space < 0 ? line : line[..space]).ToUpperInvariant();
                var argument = space < 0 ? "" : line[(space + 1)..].Trim();
                server._commands.Enqueue(verb == "AUTH" ? "AUTH " + argument.Split(' ')[0] + (argument.Contains(' ', StringComparison.Ordinal) ? " (hidden)" : "") : line);
                switch (verb)
                {
                    case "EHLO":
                        await EhloAsync(argument, stop);
                        break;
                    case "HELO":
                        _greeted = argument.Length > 0;
                        await (_greeted ? ReplyAsync(250, Name, stop) : ReplyAsync(501, "Syntax: HELO hostname", stop));
                        Reset();
                        break;
                    case "STARTTLS":
                        await StartTlsAsync(stop);
                        break;
                    case "AUTH":
                        await AuthAsync(argument, stop);
                        break;
                    case "MAIL":
                        await MailAsync(argument, stop);
                        break;
                    case "RCPT":
                        await RcptAsync(argument, stop);
                        break;
                    case "DATA":
                        await DataAsync(stop);
                        break;
                    case "RSET":
                        Reset();
                        await ReplyAsync(250, "2.0.0 Ok", stop);
                        break;
                    case "NOOP":
                        await ReplyAsync(250, "2.0.0 Ok", stop);
                        break;
                    case "QUIT":
                        await ReplyAsync(221, "2.0.0 Bye", stop);
                        return;
                    default:
                        await ReplyAsync(502, "5.5.2 Error: command not recognized", stop);
                        break;
                }
            }
        }

        private async Task EhloAsync(string name, CancellationToken stop)
        {
            if (name.Length == 0)
            {
                await ReplyAsync(501, "Syntax: EHLO hostname", stop);
                return;
            }

            _greeted = true;
            Reset();
            var lines = new List<string> { Name, $"SIZE {MaxMessageBytes}", "ENHANCEDSTATUSCODES" };
            if (OffersTls)
            {
                lines.Add("STARTTLS");
            }

            if (OffersAuth)
            {
                lines.Add("AUTH " + server.AuthMechanisms);
            }

            await ReplyAsync(250, lines, stop);
        }

        private async Task StartTlsAsync(CancellationToken stop)
        {
            if (!OffersTls)
            {
                await ReplyAsync(Encrypted ? 554 : 502, Encrypted ? "5.5.1 Error: TLS already active" : "5.5.1 Error: command not implemented", stop);
                return;
            }

            await ReplyAsync(220, "2.0.0 Ready to start TLS", stop);

            // Commands sent before the handshake must not count as sent over TLS (the STARTTLS injection flaw).
            _start = _end = 0;
            _stream = await server.ServerTlsAsync(_stream, stop);
            _greeted = false;
            _user = null;
            Reset();
        }

        private async Task AuthAsync(string argument, CancellationToken stop)
        {
            var parts = argument.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            if (!OffersAuth)
            {
                await ReplyAsync(503, "5.5.1 Error: authentication not enabled", stop);
                return;
            }

            if (_user is not null || _from is not null)
            {
                await ReplyAsync(503, "5.5.1 Error: already authenticated or in a mail transaction", stop);
                return;
            }

            string? user = null;
            string? password = null;
            var mechanism = parts.Length > 0 ? parts[0].ToUpperInvariant() : "";
            switch (server.AuthMechanisms.Split(' ').Contains(mechanism, StringComparer.OrdinalIgnoreCase) ? mechanism : "")
            {
                case "PLAIN":
                    var token = parts.Length > 1 ? parts[1] : await ChallengeAsync("", stop);
                    var plain = Decode(token)?.Split('\0');
                    if (plain is { Length: 3 })
                    {
                        (user, password) = (plain[1], plain[2]);
                    }

                    break;
                case "LOGIN":
                    user = Decode(parts.Length > 1 ? parts[1] : await ChallengeAsync("VXNlcm5hbWU6", stop));
                    password = user is null ? null : Decode(await ChallengeAsync("UGFzc3dvcmQ6", stop));
                    break;
                default:
                    await ReplyAsync(535, "5.7.8 Error: authentication failed: unsupported mechanism", stop);
                    return;
            }

            if (user is not null && server._account is { } account && account.User == user && account.Password == password)
            {
                _user = user;
                await ReplyAsync(235, "2.7.0 Authentication successful", stop);
            }
            else
            {
                await ReplyAsync(535, "5.7.8 Error: authentication failed", stop);
            }
        }

        private async Task<string> ChallengeAsync(string challenge, CancellationToken stop)
        {
            await ReplyAsync(334, challenge, stop);
            var answer = await ReadLineAsync(1000, stop) ?? "";
            server._commands.Enqueue("(hidden)");
            return answer;
        }

        private async Task MailAsync(string argument, CancellationToken stop)
        {
            if (!_greeted)
            {
                await ReplyAsync(503, "5.5.1 Error: send HELO/EHLO first", stop);
            }
            else if (server._account is not null && _user is null)
            {
                await ReplyAsync(530, "5.7.0 Authentication required", stop);
            }
            else if (_from is not null)
            {
                await ReplyAsync(503, "5.5.1 Error: nested MAIL command", stop);
            }
            else if (Path(argument, "FROM:") is not { } from)
            {
                await ReplyAsync(501, "5.5.4 Syntax: MAIL FROM:<address>", stop);
            }
            else if (server.TakeFault("MAIL") is { } code)
            {
                await ReplyAsync(code, code < 500 ? "4.3.0 Try again later" : "5.7.1 Sender rejected", stop);
            }
            else
            {
                _from = from;
                await ReplyAsync(250, "2.1.0 Ok", stop);
            }
        }

        private async Task RcptAsync(string argument, CancellationToken stop)
        {
            if (_from is null)
            {
                await ReplyAsync(503, "5.5.1 Error: need MAIL command", stop);
            }
            else if (Path(argument, "TO:") is not { Length: > 0 } to)
            {
                await ReplyAsync(501, "5.5.4 Syntax: RCPT TO:<address>", stop);
            }
            else if (server._rejected.TryGetValue(to, out var code))
            {
                await ReplyAsync(code, code < 500 ? $"4.2.1 <{to}>: Mailbox temporarily unavailable" : $"5.1.1 <{to}>: Recipient address rejected: User unknown", stop);
            }
            else
            {
                _recipients.Add(to);
                await ReplyAsync(250, "2.1.5 Ok", stop);
            }
        }

        private async Task DataAsync(CancellationToken stop)
        {
            if (_recipients.Count == 0)
            {
                await ReplyAsync(_from is null ? 503 : 554, _from is null ? "5.5.1 Error: need RCPT command" : "5.5.1 Error: no valid recipients", stop);
                return;
            }

            await ReplyAsync(354, "End data with <CR><LF>.<CR><LF>", stop);
            var data = new StringBuilder();
            var tooBig = false;
            while (true)
            {
                var line = await ReadLineAsync(MaxMessageBytes, stop) ?? "";
                if (line == ".")
                {
                    break;
                }

                if (!tooBig)
                {
                    data.Append(line.StartsWith('.') ? line[1..] : line).Append("\r\n");
                    tooBig = data.Length > MaxMessageBytes;
                }
            }

            if (tooBig)
            {
                await ReplyAsync(552, "5.3.4 Error: message file too big", stop);
            }
            else if (server.TakeFault("DATA") is { } code)
            {
                await ReplyAsync(code, code < 500 ? "4.3.0 Error: queue file write error" : "5.6.0 Error: message content rejected", stop);
            }
            else
            {
                var id = Interlocked.Increment(ref server._queued).ToString("X8", CultureInfo.InvariantCulture);
                server._messages.Enqueue(new SmtpSandboxMessage(_from!, [.. _recipients], data.ToString(), Encrypted, _user, id));
                await ReplyAsync(250, $"2.0.0 Ok: queued as {id}", stop);
            }

            Reset();
        }

        private void Reset()
        {
            _from = null;
            _recipients.Clear();
        }

        /// <summary>The address in <c>FROM:&lt;a@b&gt; SIZE=…</c>, or null when the syntax is wrong (<c>&lt;&gt;</c> is the empty sender).</summary>
        private static string? Path(string argument, string prefix)
        {
            if (!argument.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            var rest = argument[prefix.Length..].TrimStart();
            var close = rest.IndexOf('>', StringComparison.Ordinal);
            return rest.StartsWith('<') && close > 0 ? rest[1..close] : null;
        }

        private static string? Decode(string base64)
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(base64.Trim()));
            }
            catch (FormatException)
            {
                return null;
            }
        }

        private Task ReplyAsync(int code, string text, CancellationToken stop) => ReplyAsync(code, [text], stop);

        private async Task ReplyAsync(int code, IReadOnlyList<string> lines, CancellationToken stop)
        {
            var reply = new StringBuilder();
            for (var i = 0; i < lines.Count; i++)
            {
                reply.Append(code.ToString(CultureInfo.InvariantCulture)).Append(i < lines.Count - 1 ? '-' : ' ').Append(lines[i]).Append("\r\n");
            }

            await _stream.WriteAsync(Encoding.UTF8.GetBytes(reply.ToString()), stop);
            await _stream.FlushAsync(stop);
        }

        /// <summary>The next line without its CRLF; null when it is longer than <paramref name="max"/> (the rest of it is skipped).</summary>
        private async Task<string?> ReadLineAsync(int max, CancellationToken stop)
        {
            var line = new MemoryStream();
            var overlong = false;
            while (true)
            {
                if (_start == _end)
                {
                    _start = 0;
                    _end = await _stream.ReadAsync(_buffer, stop);
                    if (_end == 0)
                    {
                        throw new IOException("the client closed the connection");
                    }
                }

                var b = _buffer[_start++];
                if (b == (byte)'\n')
                {
                    var bytes = line.ToArray();
                    var length = bytes.Length > 0 && bytes[^1] == (byte)'\r' ? bytes.Length - 1 : bytes.Length;
                    return overlong ? null : Encoding.UTF8.GetString(bytes, 0, length);
                }

                if (line.Length <= max)
                {
                    line.WriteByte(b);
                }
                else
                {
                    overlong = true;
                }
            }
        }
    }
}
