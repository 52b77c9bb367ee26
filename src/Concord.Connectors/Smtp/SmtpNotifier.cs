using System.Net.Mail;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Engine.Connectors;

namespace Concord.Connectors.Smtp;

/// <summary>
/// A flow's <c>notify:</c> as an email: <c>to</c> and <c>cc</c> (an address, a comma-separated
/// list or a list), <c>subject</c> and <c>text</c>, sent from the system's <c>from</c>. The
/// Message-ID is made from the step's idempotency key, so a message sent again after a lost answer
/// carries the same id. The server's reply decides what a failure means: 4xx and lost connections
/// are retried, 5xx (a refused recipient, a failed sign-in) is not.
/// </summary>
public sealed class SmtpNotifier(string system, SmtpOptions options, TimeProvider time) : INotifier
{
    public static readonly string[] Args = ["to", "cc", "subject", "text"];

    public IReadOnlyList<string> Arguments => Args;

    public async Task<NotifyResult> NotifyAsync(Notification notification, CancellationToken cancellationToken)
    {
        var to = Addresses(notification, "to");
        if (to.Count == 0)
        {
            throw NotifyArgs.Invalid(system, "needs to (an email address, or a list of them)");
        }

        var cc = Addresses(notification, "cc");
        var subject = NotifyArgs.RequiredText(notification, system, "subject");
        var text = NotifyArgs.RequiredText(notification, system, "text");
        var messageId = MailText.MessageId(notification.IdempotencyKey, options.From.Host);
        var message = MailText.Write(options.From, to, cc, subject, text, messageId, time.GetUtcNow(), notification.CorrelationId);
        var request = new JsonObject
        {
            ["from"] = options.From.Address,
            ["to"] = new JsonArray(to.Select(a => (JsonNode)a.Address).ToArray()),
            ["cc"] = new JsonArray(cc.Select(a => (JsonNode)a.Address).ToArray()),
            ["subject"] = subject,
            ["text"] = text,
            ["message_id"] = messageId,
        }.ToJsonString();

        using var timeout = new CancellationTokenSource(options.Timeout ?? SmtpOptions.DefaultTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await using var session = await SmtpSession.OpenAsync(options, linked.Token);
            var reply = await session.SendAsync(options.From.Address, to.Concat(cc).Select(a => a.Address).Distinct(StringComparer.OrdinalIgnoreCase).ToList(), message, linked.Token);
            await session.QuitAsync(linked.Token);
            return new NotifyResult(reply.Code, request, reply.ToString(), messageId);
        }
        catch (Exception e) when (Failure(e, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>What a failure means for the flow: whether to retry, and the setting to look at.</summary>
    private DeliveryFailedException? Failure(Exception e, CancellationToken cancellationToken)
    {
        var where = $"{options.Host}:{options.Port}";
        return e switch
        {
            SmtpReplyException refused => new DeliveryFailedException($"{system}: {refused.Message}{Hint(refused)}", refused.Reply.Code, refused.Reply.ToString(),
                retryable: refused.Reply.IsTransient),
            SmtpCapabilityException missing => new DeliveryFailedException($"{system}: {missing.Message}; check settings.{missing.Setting}", null, null, retryable: false),
            AuthenticationException tls => new DeliveryFailedException($"{system}: the TLS handshake with {where} failed ({tls.Message}); check settings.security and settings.host", null, null,
                retryable: false),
            OperationCanceledException when !cancellationToken.IsCancellationRequested => new DeliveryFailedException(
                $"{system}: {where} did not finish within {Core.Configuration.Duration.Format(options.Timeout ?? SmtpOptions.DefaultTimeout)}", null, null, retryable: true),
            SocketException or IOException => new DeliveryFailedException($"{system}: could not talk to {where}: {e.Message}", null, null, retryable: true),
            _ => null,
        };
    }

    private static string Hint(SmtpReplyException refused) =>
        refused.Command.StartsWith("AUTH", StringComparison.Ordinal) ? "; check settings.username and settings.password"
        : refused.Command.StartsWith("MAIL FROM", StringComparison.Ordinal) && !refused.Reply.IsTransient ? "; check settings.from (the server may not let this account send as it)"
        : refused.Command.StartsWith("RCPT TO", StringComparison.Ordinal) && !refused.Reply.IsTransient ? "; check the step's to and cc"
        : "";

    private List<MailAddress> Addresses(Notification notification, string name)
    {
        var addresses = new List<MailAddress>();
        foreach (var written in NotifyArgs.List(notification, system, name))
        {
            if (Parse(written) is not { } address)
            {
                throw NotifyArgs.Invalid(system, $"{name}: '{written}' is not an email address");
            }

            addresses.Add(address);
        }

        return addresses;
    }

    /// <summary>An address the connector can send to: well-formed, and ASCII (the connector does not use SMTPUTF8).</summary>
    public static MailAddress? Parse(string written)
    {
        if (written.Any(c => c is '\r' or '\n') || !MailAddress.TryCreate(written.Trim(), out var address))
        {
            return null;
        }

        var ascii = Encoding.UTF8.GetByteCount(address.Address) == address.Address.Length;
        return ascii && (address.Host.Contains('.', StringComparison.Ordinal) || address.Host == "localhost") ? address : null;
    }
}
