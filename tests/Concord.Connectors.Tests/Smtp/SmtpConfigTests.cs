using Concord.Core.Configuration;

namespace Concord.Connectors.Tests.Smtp;

/// <summary><c>concord validate</c> reports a mail system that cannot send, at the line of the setting.</summary>
public sealed class SmtpConfigTests
{
    private static List<ConfigProblem> Problems(string settings)
    {
        var yaml = $$"""
            version: 1
            systems:
              crm: { kind: webhook, settings: { secret: { env: CRM } } }
              mail:
                kind: smtp
                settings:
            {{settings}}
            entities:
              customer: { owner: crm }
            syncs:
              - { system: crm, type: customer, direction: pull }
            """;
        var loaded = ConfigLoader.Load(yaml);
        Assert.Empty(loaded.Problems);
        return new ConfigValidator(new ConnectorCatalog()).Validate(loaded.Config).Where(p => p.Severity == ProblemSeverity.Error).ToList();
    }

    private const string Good = """
              host: smtp.example.com
              from: "Concord <hub@example.com>"
        """;

    [Theory]
    [InlineData(Good)]
    [InlineData(Good + "\n      port: 2525")]
    [InlineData(Good + "\n      security: starttls\n      username: hub\n      password: { env: MAIL_PASSWORD }")]
    [InlineData(Good + "\n      security: tls\n      port: 465\n      username: hub\n      password: { env: MAIL_PASSWORD }")]
    public void AWorkableSystem_HasNoProblems(string settings) => Assert.Empty(Problems(settings));

    [Theory]
    [InlineData("port: 99999", "systems.mail.settings.port must be a port number from 1 to 65535, not '99999'")]
    [InlineData("port: smtp", "systems.mail.settings.port must be a port number from 1 to 65535, not 'smtp'")]
    [InlineData("security: ssl", "systems.mail.settings.security must be one of none, starttls, tls, not 'ssl'")]
    public void ABadValue_IsReportedAtItsLine(string line, string message)
    {
        var problem = Assert.Single(Problems(Good + "\n      " + line));

        Assert.Equal("bad-setting", problem.Code);
        Assert.Equal(message, problem.Message);
        Assert.Equal(9, problem.At.Line);
    }

    [Theory]
    [InlineData("hub at example")]
    [InlineData("Concord <hub>")]
    public void AFromThatIsNotAnAddress_IsReportedAtItsLine(string from)
    {
        var problem = Assert.Single(Problems($"      host: smtp.example.com\n      from: \"{from}\""));

        Assert.Equal("bad-setting", problem.Code);
        Assert.StartsWith("systems.mail.settings.from must be an email address", problem.Message, StringComparison.Ordinal);
        Assert.Equal(8, problem.At.Line);
    }

    [Fact]
    public void HostAndFrom_AreRequired()
    {
        var problems = Problems("      port: 25");

        Assert.Equal(["system 'mail' (smtp) needs settings.host: the mail server, e.g. smtp.example.com", "system 'mail' (smtp) needs settings.from: " +
            "the sender of every message: hub@example.com or \"Concord <hub@example.com>\""], problems.Select(p => p.Message));
    }

    [Theory]
    [InlineData("security: starttls\n      username: hub", "has a username but no password")]
    [InlineData("security: starttls\n      password: { env: MAIL_PASSWORD }", "has a password but no username")]
    [InlineData("username: hub\n      password: { env: MAIL_PASSWORD }", "would send its password unencrypted (security: none)")]
    public void SignInRules_AreReportedAtTheSystem(string lines, string message)
    {
        var problem = Assert.Single(Problems(Good + "\n      " + lines));

        Assert.Equal("bad-settings", problem.Code);
        Assert.Equal($"system 'mail' (smtp): {message}", problem.Message);
        Assert.Equal(4, problem.At.Line);
    }

    [Fact]
    public void APasswordWrittenInline_IsRefused()
    {
        var problems = Problems(Good + "\n      security: tls\n      username: hub\n      password: hunter2");

        Assert.Contains(problems, p => p.Code == "inline-secret" && p.At.Line == 11);
    }

    [Fact]
    public void TheKind_DeclaresWhatNotifyTakes()
    {
        var kind = new ConnectorCatalog().Find("smtp")!;

        Assert.Equal(["to", "cc", "subject", "text"], kind.NotifyArguments);
        Assert.Equal(["to", "subject", "text"], kind.NotifyRequires);
        Assert.False(kind.Inbound);
        Assert.False(kind.Outbound);
    }
}
