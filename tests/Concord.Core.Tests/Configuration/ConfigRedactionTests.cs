using Concord.Connectors;
using Concord.Core.Configuration;

namespace Concord.Core.Tests.Configuration;

/// <summary>The configuration's text as the dashboard shows it: references kept, every literal secret masked, lines in place.</summary>
public class ConfigRedactionTests
{
    private static readonly ConnectorCatalog Catalog = new();

    [Fact]
    public void References_StayAsWritten_AndLiteralSecrets_AreMasked_ByDeclarationOrByName()
    {
        const string Yaml = """
            version: 1
            systems:
              hs: { kind: hubspot, settings: { access_token: { env: HS_TOKEN } } }
              hook:
                kind: slack
                settings:
                  webhook_url: https://hooks.example.com/services/T0/B0/literal-hook
              crm:
                kind: http
                settings:
                  url: http://127.0.0.1:9/crm
                  webhook_secret: "quoted-literal"
            flows:
              call:
                trigger: { manual: {} }
                steps:
                  - http: { url: "http://127.0.0.1:9/x", headers: { Authorization: Bearer header-literal } }
            """;

        var redacted = ConfigRedaction.Redact(Yaml, Catalog);

        Assert.Contains("access_token: { env: HS_TOKEN }", redacted.Text, StringComparison.Ordinal);
        Assert.Contains("url: http://127.0.0.1:9/crm", redacted.Text, StringComparison.Ordinal);
        Assert.Contains("webhook_url: <redacted>", redacted.Text, StringComparison.Ordinal);
        Assert.Contains("webhook_secret: <redacted>", redacted.Text, StringComparison.Ordinal);
        Assert.Contains("Authorization: <redacted> }", redacted.Text, StringComparison.Ordinal);
        foreach (var secret in new[] { "literal-hook", "quoted-literal", "header-literal" })
        {
            Assert.DoesNotContain(secret, redacted.Text, StringComparison.Ordinal);
        }

        Assert.Equal(Yaml.Split('\n').Length, redacted.Text.Split('\n').Length);
        Assert.Equal("bad value '<redacted>'", redacted.Scrub("bad value 'quoted-literal'"));
    }

    [Fact]
    public void ABlockScalar_IsMasked_AndTheLinesBelowKeepTheirPlaces()
    {
        const string Yaml = "version: 1\nsystems:\n  crm:\n    kind: http\n    settings:\n      password: |\n        line one\n        line two\n      url: http://127.0.0.1:9/crm\n";

        var text = ConfigRedaction.Redact(Yaml, Catalog).Text;

        Assert.DoesNotContain("line one", text, StringComparison.Ordinal);
        Assert.Contains("password: <redacted>\n", text, StringComparison.Ordinal);
        Assert.Equal(8, Array.IndexOf(text.Split('\n'), "      url: http://127.0.0.1:9/crm"));
    }

    [Fact]
    public void AFileThatDoesNotParse_IsMaskedLineByLine()
    {
        const string Yaml = "version: 1\nsystems:\n  crm:\n    kind: http\n    settings:\n      api_key: plain-literal\n      token: { env: TOKEN }\n   bad: [indent\n";

        var redacted = ConfigRedaction.Redact(Yaml, Catalog);

        Assert.Contains("      api_key: <redacted>\n", redacted.Text, StringComparison.Ordinal);
        Assert.Contains("      token: { env: TOKEN }\n", redacted.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("plain-literal", redacted.Text, StringComparison.Ordinal);
        Assert.Equal(["plain-literal"], redacted.Values);
    }
}
