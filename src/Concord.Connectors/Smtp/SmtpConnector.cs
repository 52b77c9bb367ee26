using System.Globalization;
using System.Net;
using Concord.Core.Configuration;
using Concord.Engine.Connectors;

namespace Concord.Connectors.Smtp;

/// <summary>
/// Email through a mail server you already have (your provider's SMTP submission, or a relay): the
/// target of flows' <c>notify:</c> steps. It neither receives nor syncs records.
/// </summary>
public static class SmtpConnector
{
    public static readonly ConnectorDescriptor Descriptor = new(
        "smtp",
        "Sends flows' notifications as email through an SMTP server.",
        Inbound: false,
        Outbound: false,
        [
            new("host", "the mail server, e.g. smtp.example.com", Required: true, Validate: ValidateHost),
            new("port", "its port (default 25; 587 with security: starttls; 465 with security: tls)", Validate: ValidatePort),
            new("from", "the sender of every message: hub@example.com or \"Concord <hub@example.com>\"", Required: true, Validate: ValidateFrom),
            new("username", "signs in with this name (AUTH PLAIN or LOGIN)"),
            new("password", "the password for username", Secret: true),
            new("security", "none (default), starttls (upgrade a plain connection; port 587) or tls (TLS from the start; port 465)", Allowed: ["none", "starttls", "tls"]),
        ])
    {
        NotifyArguments = SmtpNotifier.Args,
        NotifyRequires = ["to", "subject", "text"],
        Check = CheckSignIn,
    };

    /// <summary>A password needs a name to go with it, and is never sent over a connection anyone can read.</summary>
    private static IEnumerable<(string Message, string? Hint)> CheckSignIn(SystemConfig system)
    {
        var user = system.GetSetting("username") is not null;
        var password = system.Secrets.ContainsKey("password");
        if (user != password)
        {
            yield return (user ? "has a username but no password" : "has a password but no username", "give both username and password: { env: … }, or neither");
        }

        if (user && (system.GetSetting("security") ?? "none") == "none")
        {
            yield return ("would send its password unencrypted (security: none)", "set security: starttls (port 587) or security: tls (port 465)");
        }
    }

    private static string? ValidateHost(string host) =>
        Uri.CheckHostName(host.Trim()) == UriHostNameType.Unknown ? $"must be a host name or address such as smtp.example.com, not '{host}'" : null;

    private static string? ValidatePort(string port) =>
        int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 1 and <= 65535 ? null : $"must be a port number from 1 to 65535, not '{port}'";

    private static string? ValidateFrom(string from) =>
        SmtpNotifier.Parse(from) is null ? $"must be an email address such as hub@example.com or \"Concord <hub@example.com>\", not '{from}'" : null;

    /// <summary>The options a configured system sends with.</summary>
    public static SmtpOptions Options(SystemConfig system, ConnectorContext context)
    {
        var security = system.GetSetting("security") switch
        {
            null or "none" => SmtpSecurity.None,
            "starttls" => SmtpSecurity.StartTls,
            "tls" => SmtpSecurity.Tls,
            var other => throw new InvalidOperationException($"settings.security of system '{system.Name}' must be none, starttls or tls, not '{other}'"),
        };
        var host = system.GetSetting("host") ?? throw new InvalidOperationException($"system '{system.Name}' (smtp) needs settings.host");
        var port = system.GetSetting("port") is { } written
            ? (ValidatePort(written) is null ? int.Parse(written, CultureInfo.InvariantCulture) : throw new InvalidOperationException($"settings.port of system '{system.Name}' {ValidatePort(written)}"))
            : SmtpOptions.DefaultPort(security);
        var from = SmtpNotifier.Parse(system.GetSetting("from") ?? "")
            ?? throw new InvalidOperationException($"system '{system.Name}' (smtp) needs settings.from: the sender's email address");
        return new SmtpOptions(host.Trim(), port, security, from, system.GetSetting("username"), context.Secret(system, "password"), ClientName());
    }

    /// <summary>The name this machine gives in EHLO; servers log it, few check it.</summary>
    private static string ClientName()
    {
        var name = Dns.GetHostName();
        return Uri.CheckHostName(name) == UriHostNameType.Dns ? name : "localhost";
    }

    /// <summary>The <c>smtp</c> kind.</summary>
    public sealed class Kind : IConnectorKind
    {
        public ConnectorDescriptor Descriptor => SmtpConnector.Descriptor;

        public SystemConnectors Create(SystemConfig system, ConnectorContext context)
        {
            var options = Options(system, context);
            return new SystemConnectors(Verifier: new SmtpVerifier(options), Notifier: new SmtpNotifier(system.Name, options, context.Time));
        }
    }
}
