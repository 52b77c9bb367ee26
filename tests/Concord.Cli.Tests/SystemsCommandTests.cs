using Concord.Sandboxes.Stripe;
using Concord.Testing;

namespace Concord.Cli.Tests;

/// <summary><c>concord systems verify</c> against a real (sandboxed) Stripe: a wrong key is named as the setting to fix.</summary>
public sealed class SystemsCommandTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly StripeSandbox _stripe = new("stripe", "sk_test_right", "whsec_x");

    public async Task InitializeAsync()
    {
        await _stripe.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(_dir.Path, "concord.yaml"), $$"""
            version: 1
            systems:
              forms:
                kind: webhook
                settings: { secret: { env: FORMS_SECRET } }
              stripe:
                kind: stripe
                settings:
                  base_url: {{_stripe.Url}}
                  api_key: { env: STRIPE_KEY }
            entities:
              customer: { owner: forms }
            syncs:
              - { system: forms, type: customer, direction: pull }
              - { system: stripe, type: customer, direction: push }
            """);
    }

    public async Task DisposeAsync()
    {
        await _stripe.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Verify_SaysWhichSystemsWork_AndNamesTheWrongSetting()
    {
        var good = new Dictionary<string, string> { ["FORMS_SECRET"] = "s", ["STRIPE_KEY"] = "sk_test_right" };
        var (ok, okOutput) = await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), good, "systems", "verify");
        Assert.True(ok == 0, okOutput);
        Assert.Contains("stripe (stripe): ok", okOutput, StringComparison.Ordinal);
        Assert.Contains("forms (webhook): ok — nothing to call", okOutput, StringComparison.Ordinal);

        var bad = new Dictionary<string, string> { ["FORMS_SECRET"] = "s", ["STRIPE_KEY"] = "sk_test_wrong" };
        var (failed, failedOutput) = await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), bad, "systems", "verify", "stripe");
        Assert.Equal(1, failed);
        Assert.Contains("stripe (stripe): FAILED", failedOutput, StringComparison.Ordinal);
        Assert.Contains("check systems.stripe.settings.api_key", failedOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("forms", failedOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ShowsEachSystemsPinnedApiVersion()
    {
        var (code, output) = await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), "systems", "list");
        Assert.True(code == 0, output);
        Assert.Matches(@"stripe — stripe, API 20\d\d-\d\d-\d\d: customer \(push\)", output);
    }
}
