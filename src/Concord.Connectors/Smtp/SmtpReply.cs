namespace Concord.Connectors.Smtp;

/// <summary>One reply of the mail server: a three-digit code and its lines of text.</summary>
public sealed record SmtpReply(int Code, IReadOnlyList<string> Lines)
{
    /// <summary>4xx: the server asks to try again later.</summary>
    public bool IsTransient => Code is >= 400 and < 500;

    public string Text => string.Join(" ", Lines).Trim();

    public override string ToString() => $"{Code} {Text}".TrimEnd();
}

/// <summary>The server refused a command.</summary>
/// <param name="command">The command as it may be shown (credentials left out).</param>
/// <param name="reply">The refusal.</param>
public sealed class SmtpReplyException(string command, SmtpReply reply) : Exception($"the mail server answered {reply} to {command}")
{
    public string Command { get; } = command;

    public SmtpReply Reply { get; } = reply;
}

/// <summary>The server cannot do what the settings ask (no STARTTLS, no AUTH mechanism the connector speaks).</summary>
public sealed class SmtpCapabilityException(string message, string setting) : Exception(message)
{
    /// <summary>The setting to change.</summary>
    public string Setting { get; } = setting;
}
