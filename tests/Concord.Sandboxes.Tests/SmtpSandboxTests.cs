using System.Net.Sockets;
using System.Text;
using Concord.Sandboxes.Smtp;

namespace Concord.Sandboxes.Tests;

/// <summary>The SMTP sandbox speaks the dialogue a real server does, checked line by line over a raw socket.</summary>
public sealed class SmtpSandboxTests : IAsyncLifetime
{
    private readonly SmtpSandbox _server = new();
    private TcpClient _client = null!;
    private StreamReader _reader = null!;
    private Stream _stream = null!;

    public async Task InitializeAsync()
    {
        await _server.StartAsync();
        _client = new TcpClient();
        await _client.ConnectAsync(_server.Host, _server.Port);
        _stream = _client.GetStream();
        _reader = new StreamReader(_stream, Encoding.ASCII);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    /// <summary>Sends one line (none for null) and returns the reply's lines.</summary>
    private async Task<List<string>> SayAsync(string? line)
    {
        if (line is not null)
        {
            await _stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"));
        }

        var lines = new List<string>();
        while (true)
        {
            var reply = await _reader.ReadLineAsync() ?? throw new IOException("closed");
            lines.Add(reply);
            if (reply.Length < 4 || reply[3] == ' ')
            {
                return lines;
            }
        }
    }

    private async Task<string> CodeAsync(string line) => (await SayAsync(line))[^1][..3];

    [Fact]
    public async Task AWholeDialogue_KeepsTheMessage_AsSent()
    {
        Assert.StartsWith("220 ", (await SayAsync(null))[0], StringComparison.Ordinal);
        var ehlo = await SayAsync("EHLO client.example");
        Assert.Equal(["250-sandbox.concord.test", "250-SIZE 10485760", "250 ENHANCEDSTATUSCODES"], ehlo);
        Assert.Equal("250", await CodeAsync("MAIL FROM:<hub@example.com> SIZE=120"));
        Assert.Equal("250", await CodeAsync("RCPT TO:<a@acme.example>"));
        Assert.Equal("250", await CodeAsync("RCPT TO:<b@acme.example>"));
        Assert.Equal("354", await CodeAsync("DATA"));
        var queued = await SayAsync("Subject: hi\r\nMessage-ID: <m1@example.com>\r\n\r\nline one\r\n..starts with a dot\r\n.");
        Assert.Matches("^250 2.0.0 Ok: queued as [0-9A-F]{8}$", queued[0]);
        Assert.Equal("221", await CodeAsync("QUIT"));

        var mail = Assert.Single(_server.Messages);
        Assert.Equal("hub@example.com", mail.From);
        Assert.Equal(["a@acme.example", "b@acme.example"], mail.Recipients);
        Assert.Equal("hi", mail.Subject);
        Assert.Equal("<m1@example.com>", mail.MessageId);
        Assert.Equal("line one\n.starts with a dot", mail.Text);
        Assert.EndsWith(mail.QueueId, queued[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommandsOutOfOrder_AreRefusedWithTheUsualCodes()
    {
        await SayAsync(null);

        Assert.Equal("503", await CodeAsync("MAIL FROM:<hub@example.com>"));
        Assert.Equal("250", await CodeAsync("HELO client.example"));
        Assert.Equal("503", await CodeAsync("RCPT TO:<a@acme.example>"));
        Assert.Equal("503", await CodeAsync("DATA"));
        Assert.Equal("501", await CodeAsync("MAIL FROM:hub@example.com"));
        Assert.Equal("250", await CodeAsync("MAIL FROM:<hub@example.com>"));
        Assert.Equal("503", await CodeAsync("MAIL FROM:<again@example.com>"));
        Assert.Equal("554", await CodeAsync("DATA"));
        Assert.Equal("250", await CodeAsync("RSET"));
        Assert.Equal("250", await CodeAsync("NOOP"));
        Assert.Equal("502", await CodeAsync("VRFY root"));
        Assert.Equal("502", await CodeAsync("STARTTLS"));
        Assert.Equal("503", await CodeAsync("AUTH PLAIN AGh1YgBzM2NyZXQ="));
        Assert.Empty(_server.Messages);
    }

    [Fact]
    public async Task WithAnAccount_MailWaitsForSignIn()
    {
        _server.RequireAuth("hub", "s3cret");
        await SayAsync(null);

        Assert.Contains("AUTH PLAIN LOGIN", (await SayAsync("EHLO client.example")).Select(line => line[4..]));
        Assert.Equal("530", await CodeAsync("MAIL FROM:<hub@example.com>"));
        Assert.Equal("535", await CodeAsync("AUTH PLAIN " + Convert.ToBase64String(Encoding.UTF8.GetBytes("\0hub\0wrong"))));
        Assert.Equal("235", await CodeAsync("AUTH PLAIN " + Convert.ToBase64String(Encoding.UTF8.GetBytes("\0hub\0s3cret"))));
        Assert.Equal("250", await CodeAsync("MAIL FROM:<hub@example.com>"));
        Assert.Contains("AUTH PLAIN (hidden)", _server.Commands);
        Assert.DoesNotContain(_server.Commands, c => c.Contains("czNjcmV0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RefusalsOnDemand_UseTheCodeAsked()
    {
        _server.RejectRecipient("gone@acme.example");
        _server.Fail("DATA", 451);
        await SayAsync(null);
        await SayAsync("EHLO client.example");
        await SayAsync("MAIL FROM:<hub@example.com>");

        Assert.Equal("550", await CodeAsync("RCPT TO:<gone@acme.example>"));
        Assert.Equal("250", await CodeAsync("RCPT TO:<a@acme.example>"));
        Assert.Equal("354", await CodeAsync("DATA"));
        Assert.Equal("451", await CodeAsync("Subject: x\r\n\r\nbody\r\n."));
        Assert.Empty(_server.Messages);
    }
}
