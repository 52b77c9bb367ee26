using Concord.Connectors;
using Concord.Core.Configuration;
using Concord.Core.Identity;

namespace Concord.Core.Tests.Configuration;

/// <summary>Inputs at the edges: what once crashed or slipped through must now be a located problem.</summary>
public class ConfigEdgeCaseTests
{
    private static IEnumerable<string> Codes(string yaml) => ConfigLoader.Load(yaml).Problems.Select(p => p.Code);

    [Fact]
    public void A_duration_too_long_for_a_clock_is_a_problem_not_a_crash()
    {
        Assert.False(Duration.TryParse("99999999d", out _));
        Assert.Contains("expected-duration", Codes("hub: { log_retention: 99999999d }"));
    }

    [Fact]
    public void A_size_too_large_to_count_is_a_problem_not_a_negative_number()
    {
        var loaded = ConfigLoader.Load("hub: { max_body: 99999999999999MiB }");
        Assert.Contains("expected-size", loaded.Problems.Select(p => p.Code));
        Assert.True(loaded.Config.Hub.MaxBodyBytes > 0);
    }

    [Fact]
    public void An_empty_kind_is_reported_where_it_is_written()
    {
        var problem = Assert.Single(ConfigLoader.Load("systems:\n  crm:\n    kind:\n").Problems, p => p.Code == "missing-kind");
        Assert.Equal(3, problem.At.Line);
    }

    [Fact]
    public void A_complex_key_is_a_problem_not_a_crash()
    {
        Assert.Contains("bad-name", Codes("systems:\n  ? [a, b]\n  : { kind: http }\n"));
    }

    [Fact]
    public void A_field_type_list_is_not_a_field_type()
    {
        Assert.Contains("unknown-field-type", Codes("entities:\n  customer:\n    fields:\n      tier: { type: \"string, text\" }\n"));
    }

    [Fact]
    public void Retry_delays_must_make_sense()
    {
        var codes = Codes("systems:\n  crm:\n    kind: http\n    retry: { initial_delay: 10m, max_delay: 1m, timeout: 0s }\n").ToList();
        Assert.Contains("bad-retry", codes);
        Assert.Contains("bad-duration", codes);
    }

    [Fact]
    public void An_http_system_without_a_webhook_secret_cannot_send_changes()
    {
        var loaded = ConfigLoader.Load("""
            systems:
              crm: { kind: http, settings: { url: "http://127.0.0.1:1/x" } }
            entities:
              customer: { owner: crm }
            syncs:
              - { system: crm, type: customer, direction: two-way }
            """);
        var problems = new ConfigValidator(new ConnectorCatalog()).Validate(loaded.Config);
        var cannot = Assert.Single(problems, p => p.Code == "cannot-pull");
        Assert.Contains("webhook_secret", cannot.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_webhook_tolerance_must_be_a_duration_and_a_url_must_be_a_url()
    {
        var loaded = ConfigLoader.Load("""
            systems:
              crm: { kind: http, settings: { url: "not a url", webhook_secret: { env: S }, webhook_tolerance: soon } }
            entities:
              customer: { owner: crm }
            syncs:
              - { system: crm, type: customer, direction: two-way }
            """);
        var codes = new ConfigValidator(new ConnectorCatalog()).Validate(loaded.Config).Select(p => p.Code).ToList();
        Assert.Contains("bad-setting", codes);
        Assert.Contains("bad-url", codes);
    }

    [Theory]
    [InlineData("https://medium.com/@ada.lovelace", "medium.com")]
    [InlineData("https://example.com/@ada", "example.com")]
    [InlineData("https://user@example.com/x", "example.com")]
    public void An_at_sign_in_a_url_path_does_not_change_the_domain(string url, string domain)
    {
        Assert.Equal(domain, Normalizers.Domain(url));
    }
}
