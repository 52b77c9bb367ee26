using System.Net.Mail;
using System.Net.Security;

namespace Concord.Connectors.Smtp;

/// <summary>How the connection to the mail server is protected.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain text (a relay on the local network, port 25).</summary>
    None,

    /// <summary>Plain text upgraded with STARTTLS before anything else is sent (submission, port 587); a server that does not offer it is refused.</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    Tls,
}

/// <summary>Where and as whom the connector sends mail.</summary>
/// <param name="Host">The mail server.</param>
/// <param name="Port">Its port.</param>
/// <param name="Security">How the connection is protected.</param>
/// <param name="From">The sender of every message.</param>
/// <param name="Username">Signs in with AUTH PLAIN or LOGIN when set.</param>
/// <param name="Password">The password for <paramref name="Username"/>.</param>
/// <param name="ClientName">The name given in EHLO.</param>
/// <param name="Timeout">The most one message may take, connection included.</param>
/// <param name="CertificateValidation">Replaces the system's certificate check (tests pin the sandbox's certificate); null keeps it.</param>
public sealed record SmtpOptions(
    string Host,
    int Port,
    SmtpSecurity Security,
    MailAddress From,
    string? Username = null,
    string? Password = null,
    string ClientName = "localhost",
    TimeSpan? Timeout = null,
    RemoteCertificateValidationCallback? CertificateValidation = null)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The port a security mode uses unless one is given: 25, 587 for STARTTLS, 465 for TLS.</summary>
    public static int DefaultPort(SmtpSecurity security) => security switch
    {
        SmtpSecurity.StartTls => 587,
        SmtpSecurity.Tls => 465,
        _ => 25,
    };
}
