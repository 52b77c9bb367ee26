using System.Net.Sockets;
using System.Security.Authentication;
using Concord.Engine.Connectors;

namespace Concord.Connectors.Smtp;

/// <summary>
/// Checks the settings without sending mail: connects, says EHLO, secures the connection and signs
/// in as configured, then quits. A failure names the setting to fix.
/// </summary>
public sealed class SmtpVerifier(SmtpOptions options) : IVerifier
{
    public async Task<VerifyResult> VerifyAsync(CancellationToken cancellationToken)
    {
        var where = $"{options.Host}:{options.Port}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout ?? SmtpOptions.DefaultTimeout);
        try
        {
            await using var session = await SmtpSession.OpenAsync(options, timeout.Token);
            await session.QuitAsync(timeout.Token);
            var how = session.Encrypted ? "encrypted" : "not encrypted";
            return VerifyResult.Success($"{where} accepts the connection ({how}{(session.Authenticated ? $", signed in as {options.Username}" : "")})");
        }
        catch (SmtpReplyException refused)
        {
            return VerifyResult.Failure($"{where}: {refused.Message}", refused.Command.StartsWith("AUTH", StringComparison.Ordinal) ? "password" : "host");
        }
        catch (SmtpCapabilityException missing)
        {
            return VerifyResult.Failure(missing.Message, missing.Setting);
        }
        catch (AuthenticationException tls)
        {
            return VerifyResult.Failure($"the TLS handshake with {where} failed: {tls.Message}", "security");
        }
        catch (Exception e) when (e is SocketException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return VerifyResult.Failure($"could not talk to {where}: {e.Message}", "host");
        }
    }
}
