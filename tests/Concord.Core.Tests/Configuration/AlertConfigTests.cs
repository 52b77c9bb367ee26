using Concord.Connectors;
using Concord.Core.Alerts;
using Concord.Core.Configuration;

namespace Concord.Core.Tests.Configuration;

/// <summary>The <c>alerts:</c> section: read, validated with positions, and the defaults in force.</summary>
public class AlertConfigTests
{
    private const string Base = """
        version: 1
        systems:
          crm: { kind: webhook, settings: { secret: { env: CRM_SECRET } } }
          stripe: { kind: http, settings: { url: "http://127.0.0.1:9102/concord" } }
          slack: { kind: slack, settings: { bot_token: { env: SLACK_TOKEN }, channel: C0GENERAL1 } }
          hook: { kind: slack, settings: { webhook_url: { env: SLACK_HOOK } } }
          mail: { kind: smtp, settings: { host: smtp.example.com, from: hub@example.com } }
          pagerhook: { kind: webhook, settings: { secret: { env: PAGER_SECRET } } }
          hs: { kind: hubspot, settings: { access_token: { env: HS_TOKEN } } }
        entities:
          customer: { owner: crm }
        syncs:
          - { system: crm, type: customer, direction: pull }
          - { system: stripe, type: customer, direction: push }

        """;

    private static readonly ConfigValidator Validator = new(new ConnectorCatalog());

    private static string Located(ConfigProblem p) => $"{p.Code}@{p.At.Line}:{p.At.Column}";

    private static (ConfigLoadResult Loaded, IReadOnlyList<ConfigProblem> Problems) Check(string alerts)
    {
        var loaded = ConfigLoader.Load(Base + alerts);
        return (loaded, loaded.Problems.Concat(loaded.HasErrors ? [] : Validator.Validate(loaded.Config)).ToList());
    }

    [Fact]
    public void TheDocumentedExample_IsReadAsWritten()
    {
        var (loaded, problems) = Check("""
            alerts:
              every: 30s
              resolve_after: 3
              channels:
                ops-slack: { via: slack, channel: "#ops" }
                ops-email: { via: mail, to: [ops@example.com, cto@example.com] }
                pager: { via: pagerhook }
              rules:
                - rule: error_rate
                  above: 20%
                  window: 15m
                  min_count: 10
                  systems: [stripe]
                  to: [ops-slack, ops-email]
                - { rule: duplicates_rising, above: 3x, window: 12h, types: [customer] }
                - { rule: credential_expiry, name: keys_soon, within: 30d }
                - { rule: health_below, target: 0.9 }
            """);
        Assert.Empty(problems);
        var alerts = loaded.Config.Alerts;
        Assert.Equal((TimeSpan.FromSeconds(30), 3), (alerts.Every, alerts.ResolveAfter));
        Assert.Equal("ops@example.com, cto@example.com", alerts.Channels["ops-email"].Args["to"]);
        Assert.Equal(("pagerhook", 0), (alerts.Channels["pager"].Via, alerts.Channels["pager"].Args.Count));
        var errors = alerts.Rules[0];
        Assert.Equal((AlertRuleKind.ErrorRate, "error_rate", 0.2, TimeSpan.FromMinutes(15), 10), (errors.Kind, errors.Name, errors.Settings.Above, errors.Settings.Window, errors.Settings.MinCount));
        Assert.Equal(["stripe"], errors.Systems!);
        Assert.Null(errors.Flows);
        Assert.Equal(["ops-slack", "ops-email"], errors.Channels);
        Assert.Equal(3, alerts.Rules[1].Settings.Above);
        Assert.Equal(("keys_soon", TimeSpan.FromDays(30)), (alerts.Rules[2].Name, alerts.Rules[2].Settings.Within));
        Assert.Equal(0.9, alerts.Rules[3].Settings.Target);
        Assert.Equal(TimeSpan.FromHours(24), AlertRuleKinds.Effective(alerts.Rules[0] with { Kind = AlertRuleKind.DuplicatesRising, Settings = new AlertSettings() }).Window);
    }

    [Fact]
    public void WithoutRules_EveryRuleIsInForceWithItsDefaults_AndWithoutTheSectionToo()
    {
        var (withChannels, problems) = Check("""
            alerts:
              channels:
                ops-slack: { via: slack }
            """);
        Assert.Empty(problems);
        Assert.Equal(AlertRuleKinds.All.Select(k => k.Name), withChannels.Config.Alerts.Rules.Select(r => r.Name));
        Assert.All(withChannels.Config.Alerts.Rules, r => Assert.Empty(r.Channels));

        var (without, _) = Check("");
        Assert.Equal(9, without.Config.Alerts.Rules.Count);
        Assert.Empty(without.Config.Alerts.Channels);
        Assert.Equal((0.2, TimeSpan.FromMinutes(15), 10), (AlertRuleKinds.Effective(without.Config.Alerts.Rules[1]).Above, AlertRuleKinds.Effective(without.Config.Alerts.Rules[1]).Window,
            AlertRuleKinds.Effective(without.Config.Alerts.Rules[1]).MinCount));
    }

    [Fact]
    public void Mistakes_AreReportedAtTheirLineWithTheField()
    {
        var (_, problems) = Check("""
            alerts:
              every: soon
              channels:
                ops-slack: { via: slack }
              rules:
                - rule: error_rat
                - { rule: circuit_open, above: 20% }
                - { rule: error_rate, above: 120, window: 0s, min_count: many }
                - { rule: dead_letter, to: [ops-slak], systems: [strpe] }
                - { rule: dead_letter }
                - { rule: duplicates_rising, above: twice, flows: [x] }
                - { rule: credential_expiry, within: 2 weeks, types: [custmer] }
            """);
        var located = problems.Select(Located).ToList();
        // Line 15 is `alerts:` (the base has 14 lines).
        Assert.Equal(
        [
            "expected-duration@16:10", "unknown-rule@20:13", "unknown-key@21:29", "bad-share@22:34", "bad-duration@22:47", "expected-integer@22:62",
            "unknown-channel@23:33", "unknown-system@23:54", "duplicate-rule@24:7", "unknown-key@25:48", "bad-factor@25:41", "unknown-flow@25:56",
            "unknown-key@26:51", "expected-duration@26:42", "unknown-type@26:59",
        ], located);
        var circuit = problems.Single(p => p.Code == "unknown-key" && p.At.Line == 21);
        Assert.Equal("the circuit_open rule does not read 'above'", circuit.Message);
        Assert.Contains("error_rate", circuit.Hint, StringComparison.Ordinal);
        Assert.Contains("did you mean 'error_rate'?", problems.Single(p => p.Code == "unknown-rule").Hint, StringComparison.Ordinal);
        Assert.Contains("did you mean 'ops-slack'?", problems.Single(p => p.Code == "unknown-channel").Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void AChannel_MustGoViaASystemThatNotifies_WithOnlyItsArguments()
    {
        var (_, problems) = Check("""
            alerts:
              channels:
                a: { via: hs }
                b: { via: nowhere }
                c: { via: mail }
                d: { via: slack, text: "hi", colour: red }
                e: { via: hook, channel: "#ops" }
                f: { via: pagerhook }
            """);
        var located = problems.Select(Located).ToList();
        Assert.Equal(["cannot-notify@17:5", "unknown-system@18:5", "missing-argument@19:5", "channel-writes-message@20:5", "unknown-argument@20:5", "channel-fixed@21:5"], located);
        Assert.Contains("slack, hook, mail, pagerhook", problems.Single(p => p.Code == "cannot-notify").Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void CredentialExpires_IsADate()
    {
        var good = ConfigLoader.Load(Base.Replace("crm: { kind: webhook, settings: { secret: { env: CRM_SECRET } } }",
            "crm: { kind: webhook, settings: { secret: { env: CRM_SECRET } }, credential_expires: 2027-03-01 }", StringComparison.Ordinal));
        Assert.False(good.HasErrors);
        Assert.Equal(new DateOnly(2027, 3, 1), good.Config.Systems["crm"].CredentialExpires);

        var bad = ConfigLoader.Load(Base.Replace("crm: { kind: webhook, settings: { secret: { env: CRM_SECRET } } }",
            "crm: { kind: webhook, settings: { secret: { env: CRM_SECRET } }, credential_expires: March }", StringComparison.Ordinal));
        var problem = Assert.Single(bad.Problems);
        Assert.Equal("bad-date@3:88", Located(problem));
        Assert.Contains("systems.crm.credential_expires", problem.Message, StringComparison.Ordinal);
    }
}
