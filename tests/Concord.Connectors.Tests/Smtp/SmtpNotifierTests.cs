using System.Net;
using System.Net.Mail;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Concord.Connectors.Smtp;
using Concord.Core.Configuration;
using Concord.Core.Sync;
using Concord.Engine.Connectors;
using Concord.Engine.Intake;
using Concord.Sandboxes.Smtp;
using Concord.Testing;

namespace Concord.Connectors.Tests.Smtp;

/// <summary>Flow notifications as email, sent to the SMTP sandbox over real TCP on loopback.</summary>
public sealed class SmtpNotifierTests : IAsyncDisposable
{
    private readonly List<SmtpSandbox> _servers = [];
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 9, 30, 0, TimeSpan.Zero));

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }

    private async Task<SmtpSandbox> StartAsync(X509Certificate2? certificate = null, bool implicitTls = false)
    {
        var server = new SmtpSandbox(certificate, implicitTls);
        _servers.Add(server);
        await server.StartAsync();
        return server;
    }

    /// <summary>A configured <c>smtp</c> system's parts, as the hub builds them.</summary>
    private SystemConnectors Create(SmtpSandbox server, string? security = null, string? username = null, string? password = null)
    {
        var system = new SystemConfig { Name = "mail", Kind = "smtp" };
        system.Settings["host"] = new SettingValue(server.Host, SourceSpan.None);
        system.Settings["port"] = new SettingValue(server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), SourceSpan.None);
        system.Settings["from"] = new SettingValue("Concord Hub <hub@example.com>", SourceSpan.None);
        if (security is not null)
        {
            system.Settings["security"] = new SettingValue(security, SourceSpan.None);
        }

        if (username is not null)
        {
            system.Settings["username"] = new SettingValue(username, SourceSpan.None);
            system.Secrets["password"] = new SecretRef("MAIL_PASSWORD", SourceSpan.None);
        }

        var context = new ConnectorContext
        {
            Http = new HttpClient(),
            Time = _time,
            Intake = new ChangeIntake(new SyncPlan(new HubConfig()), _time),
            Links = new MemoryLinks(),
            Credentials = new MemoryCredentials(),
            Environment = name => name == "MAIL_PASSWORD" ? password : null,
        };
        return new ConnectorCatalog().Create(system, context);
    }

    /// <summary>Options that trust exactly the sandbox's certificate, as a pinned test must.</summary>
    private static SmtpOptions Trusting(SmtpSandbox server, X509Certificate2 certificate, SmtpSecurity security, string? user = null, string? password = null) =>
        new(server.Host, server.Port, security, new MailAddress("hub@example.com"), user, password,
            CertificateValidation: (_, presented, _, _) => presented is not null && presented.GetCertHashString() == certificate.GetCertHashString());

    private static Notification Message(string args, string key = "run_7.mail_2.0") => new((JsonObject)JsonNode.Parse(args)!, key, "run_7");

    private const string Paid = """{ "to": "ap@acme.example", "cc": ["cfo@acme.example", "books@example.com"], "subject": "Payment received", "text": "Thanks, we received 1,200.00 EUR." }""";

    [Fact]
    public async Task AMessage_ReachesEveryRecipient_WithHeadersAFlowSenderNeeds()
    {
        var server = await StartAsync();

        var result = await Create(server).Notifier!.NotifyAsync(Message(Paid), default);

        var mail = Assert.Single(server.Messages);
        Assert.Equal("hub@example.com", mail.From);
        Assert.Equal(["ap@acme.example", "cfo@acme.example", "books@example.com"], mail.Recipients);
        Assert.Equal("\"Concord Hub\" <hub@example.com>", mail.Header("From"));
        Assert.Equal("<ap@acme.example>", mail.Header("To"));
        Assert.Equal("<cfo@acme.example>, <books@example.com>", mail.Header("Cc"));
        Assert.Equal("Payment received", mail.Subject);
        Assert.Equal("Thanks, we received 1,200.00 EUR.", mail.Text);
        Assert.Equal("<run_7.mail_2.0@example.com>", mail.MessageId);
        Assert.Equal("Sun, 22 Nov 2026 09:30:00 +0000", mail.Header("Date"));
        Assert.Equal("auto-generated", mail.Header("Auto-Submitted"));
        Assert.Equal("run_7", mail.Header(MailText.RunHeader));
        Assert.False(mail.Encrypted);
        Assert.Equal(250, result.StatusCode);
        Assert.Equal("<run_7.mail_2.0@example.com>", result.ExternalId);
        Assert.Equal($"250 2.0.0 Ok: queued as {mail.QueueId}", result.Response);
        Assert.Equal("Payment received", (string?)JsonNode.Parse(result.Request)!["subject"]);
        Assert.Equal("QUIT", server.Commands[^1]);
    }

    [Fact]
    public async Task TheSameStep_SendsTheSameMessageId_SoARepeatIsRecognisable()
    {
        var server = await StartAsync();
        var notifier = Create(server).Notifier!;

        await notifier.NotifyAsync(Message(Paid), default);
        await notifier.NotifyAsync(Message(Paid), default);
        await notifier.NotifyAsync(Message(Paid, key: "run_7.mail_2.1"), default);

        Assert.Equal(["<run_7.mail_2.0@example.com>", "<run_7.mail_2.0@example.com>", "<run_7.mail_2.1@example.com>"], server.Messages.Select(m => m.MessageId));
    }

    [Fact]
    public async Task TextThatIsNotAscii_OrHasDotLines_ArrivesIntact()
    {
        var server = await StartAsync();
        const string text = "Bedankt — €1.200,00 ontvangen.\n.\n..two dots\nŽluťoučký kůň";

        await Create(server).Notifier!.NotifyAsync(Message($$"""{ "to": "ap@acme.example", "subject": "Betaling ontvangen — factuur 1042 ✔ {{new string('x', 60)}}", "text": {{JsonValue.Create(text).ToJsonString()}} }"""), default);

        var mail = Assert.Single(server.Messages);
        Assert.Equal($"Betaling ontvangen — factuur 1042 ✔ {new string('x', 60)}", mail.Subject);
        Assert.Equal(text, mail.Text);
        Assert.Equal("base64", mail.Header("Content-Transfer-Encoding"));
        Assert.All(mail.Data.Split("\r\n"), line => Assert.True(line.Length <= 78, line));
    }

    [Fact]
    public async Task ASubjectCannotInjectHeaders()
    {
        var server = await StartAsync();

        await Create(server).Notifier!.NotifyAsync(Message("""{ "to": "ap@acme.example", "subject": "Hi\r\nBcc: victim@example.com", "text": "x" }"""), default);

        var mail = Assert.Single(server.Messages);
        Assert.Equal("Hi Bcc: victim@example.com", mail.Subject);
        Assert.Null(mail.Header("Bcc"));
        Assert.Equal(["ap@acme.example"], mail.Recipients);
    }

    [Fact]
    public async Task StartTls_EncryptsBeforeSigningIn()
    {
        using var certificate = SmtpSandbox.CreateCertificate();
        var server = await StartAsync(certificate);
        server.RequireAuth("hub", "s3cret");

        await new SmtpNotifier("mail", Trusting(server, certificate, SmtpSecurity.StartTls, "hub", "s3cret"), _time).NotifyAsync(Message(Paid), default);

        var mail = Assert.Single(server.Messages);
        Assert.True(mail.Encrypted);
        Assert.Equal("hub", mail.User);
        var commands = server.Commands.ToList();
        Assert.True(commands.IndexOf("STARTTLS") < commands.FindIndex(c => c.StartsWith("AUTH", StringComparison.Ordinal)));
        Assert.Contains("AUTH PLAIN (hidden)", commands);
        Assert.DoesNotContain(commands, c => c.Contains("czNjcmV0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tls_FromTheFirstByte_WithAuthLogin()
    {
        using var certificate = SmtpSandbox.CreateCertificate();
        var server = await StartAsync(certificate, implicitTls: true);
        server.RequireAuth("hub", "s3cret");
        server.AuthMechanisms = "LOGIN";

        await new SmtpNotifier("mail", Trusting(server, certificate, SmtpSecurity.Tls, "hub", "s3cret"), _time).NotifyAsync(Message(Paid), default);

        var mail = Assert.Single(server.Messages);
        Assert.True(mail.Encrypted);
        Assert.Equal("hub", mail.User);
        Assert.Contains("AUTH LOGIN", server.Commands);
    }

    [Fact]
    public async Task AnUntrustedCertificate_IsRefused_AndNamesTheSecuritySetting()
    {
        using var certificate = SmtpSandbox.CreateCertificate();
        var server = await StartAsync(certificate);

        var failed = await Assert.ThrowsAsync<DeliveryFailedException>(() => Create(server, security: "starttls").Notifier!.NotifyAsync(Message(Paid), default));

        Assert.False(failed.Retryable);
        Assert.Contains("TLS handshake", failed.Message, StringComparison.Ordinal);
        Assert.Contains("settings.security", failed.Message, StringComparison.Ordinal);
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task StartTls_ToAServerWithoutIt_IsRefusedRatherThanSentInTheClear()
    {
        var server = await StartAsync();

        var failed = await Assert.ThrowsAsync<DeliveryFailedException>(() => Create(server, security: "starttls").Notifier!.NotifyAsync(Message(Paid), default));

        Assert.False(failed.Retryable);
        Assert.Contains("does not offer STARTTLS; check settings.security", failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Commands, c => c.StartsWith("MAIL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWrongPassword_IsPermanent_AndNamesTheCredentials()
    {
        using var certificate = SmtpSandbox.CreateCertificate();
        var server = await StartAsync(certificate);
        server.RequireAuth("hub", "s3cret");

        var failed = await Assert.ThrowsAsync<DeliveryFailedException>(() =>
            new SmtpNotifier("mail", Trusting(server, certificate, SmtpSecurity.StartTls, "hub", "wrong"), _time).NotifyAsync(Message(Paid), default));

        Assert.False(failed.Retryable);
        Assert.Equal(535, failed.StatusCode);
        Assert.Equal("mail: the mail server answered 535 5.7.8 Error: authentication failed to AUTH PLAIN (credentials hidden); check settings.username and settings.password", failed.Message);
    }

    [Theory]
    [InlineData(550, false)]
    [InlineData(450, true)]
    public async Task ARefusedRecipient_SendsToNobody_AndItsCodeSaysWhetherToRetry(int code, bool retryable)
    {
        var server = await StartAsync();
        server.RejectRecipient("books@example.com", code);

        var failed = await Assert.ThrowsAsync<DeliveryFailedException>(() => Create(server).Notifier!.NotifyAsync(Message(Paid), default));

        Assert.Equal(retryable, failed.Retryable);
        Assert.Equal(code, failed.StatusCode);
        Assert.Contains("RCPT TO:<books@example.com>", failed.Message, StringComparison.Ordinal);
        Assert.Empty(server.Messages);
        Assert.Contains("RSET", server.Commands);
    }

    [Theory]
    [InlineData("MAIL", 451, true)]
    [InlineData("MAIL", 553, false)]
    [InlineData("DATA", 452, true)]
    [InlineData("DATA", 554, false)]
    public async Task ARefusedMessage_IsRetriedOnlyFor4xx(string verb, int code, bool retryable)
    {
        var server = await StartAsync();
        server.Fail(verb, code);

        var failed = await Assert.ThrowsAsync<DeliveryFailedException>(() => Create(server).Notifier!.NotifyAsync(Message(Paid), default));
        await Create(server).Notifier!.NotifyAsync(Message(Paid), default);

        Assert.Equal(retryable, failed.Retryable);
        Assert.Equal(code, failed.StatusCode);
        Assert.Single(server.Messages);
    }

    [Fact]
    public async Task NobodyListening_IsRetryable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var options = new SmtpOptions("127.0.0.1", port, SmtpSecurity.None, new MailAddress("hub@example.com"));

        var failed = await Assert.ThrowsAsync<DeliveryFailedException>(() => new SmtpNotifier("mail", options, _time).NotifyAsync(Message(Paid), default));

        Assert.True(failed.Retryable);
        Assert.StartsWith($"mail: could not talk to 127.0.0.1:{port}", failed.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "subject": "s", "text": "t" }""", "notify through 'mail': needs to (an email address, or a list of them)")]
    [InlineData("""{ "to": "not an address", "subject": "s", "text": "t" }""", "notify through 'mail': to: 'not an address' is not an email address")]
    [InlineData("""{ "to": "a@acme.example", "cc": ["ok@acme.example", "nope"], "subject": "s", "text": "t" }""", "notify through 'mail': cc: 'nope' is not an email address")]
    [InlineData("""{ "to": "a@acme.example", "text": "t" }""", "notify through 'mail': needs subject")]
    [InlineData("""{ "to": "a@acme.example", "subject": "s" }""", "notify through 'mail': needs text")]
    [InlineData("""{ "to": "jörg@acme.example", "subject": "s", "text": "t" }""", "notify through 'mail': to: 'jörg@acme.example' is not an email address")]
    public async Task AMessageThatCannotBeSent_FailsForGood_WithoutConnecting(string args, string message)
    {
        var server = await StartAsync();

        var failed = await Assert.ThrowsAsync<DeliveryFailedException>(() => Create(server).Notifier!.NotifyAsync(Message(args), default));

        Assert.False(failed.Retryable);
        Assert.Equal(message, failed.Message);
        Assert.Equal(0, server.Connections);
    }

    [Fact]
    public async Task ToMayBeACommaSeparatedList()
    {
        var server = await StartAsync();

        await Create(server).Notifier!.NotifyAsync(Message("""{ "to": "a@acme.example, Bea <b@acme.example>, \"Doe, Jane\" <j@acme.example>", "subject": "s", "text": "t" }"""), default);

        var mail = Assert.Single(server.Messages);
        Assert.Equal(["a@acme.example", "b@acme.example", "j@acme.example"], mail.Recipients);
        Assert.Equal("<a@acme.example>, \"Bea\" <b@acme.example>, \"Doe, Jane\" <j@acme.example>", mail.Header("To"));
    }

    [Fact]
    public async Task TheVerifier_SignsInWithoutSending_AndNamesTheSettingThatFails()
    {
        using var certificate = SmtpSandbox.CreateCertificate();
        var server = await StartAsync(certificate);
        server.RequireAuth("hub", "s3cret");

        var ok = await new SmtpVerifier(Trusting(server, certificate, SmtpSecurity.StartTls, "hub", "s3cret")).VerifyAsync(default);
        var wrong = await new SmtpVerifier(Trusting(server, certificate, SmtpSecurity.StartTls, "hub", "nope")).VerifyAsync(default);
        var plain = await Create(await StartAsync()).Verifier!.VerifyAsync(default);

        Assert.True(ok.Ok, ok.Message);
        Assert.Equal($"127.0.0.1:{server.Port} accepts the connection (encrypted, signed in as hub)", ok.Message);
        Assert.False(wrong.Ok);
        Assert.Equal("password", wrong.Setting);
        Assert.True(plain.Ok, plain.Message);
        Assert.Empty(server.Messages);
    }
}
