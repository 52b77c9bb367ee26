using Concord.Testing;

namespace Concord.Cli.Tests;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task EveryProblem_IsPrintedWithFileLineColumnAndAHint_AndTheExitCodeSaysSo()
    {
        await File.WriteAllTextAsync(_dir.File("concord.yaml"), """
            version: 1
            systems:
              crm:
                kind: http
                settings:
                  url: http://127.0.0.1:9101/concord
                  signing_secret: plain-text-secret
                  webhook_secret: { env: CRM_WEBHOOK_SECRET }
            entities:
              customer:
                owner: crn
                fields:
                  subscription_status: { owner: billing }
            syncs:
              - { system: crm, type: customer, direction: two-way, fields: [name, emial] }
            """);

        var (code, output) = await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), "validate");

        Assert.Equal(1, code);
        Assert.Contains("concord.yaml:7:23: error inline-secret", output, StringComparison.Ordinal);
        Assert.Contains("concord.yaml:11:12: error unknown-system: owner of customer names unknown system 'crn'", output, StringComparison.Ordinal);
        Assert.Contains("hint: did you mean 'crm'?", output, StringComparison.Ordinal);
        Assert.Contains("concord.yaml:13:37: error unknown-system", output, StringComparison.Ordinal);
        Assert.Contains("concord.yaml:15:71: error unknown-field: 'emial' is not a field of customer", output, StringComparison.Ordinal);
        Assert.DoesNotContain("two-way-without-owners", output, StringComparison.Ordinal);
        Assert.Contains("4 error(s) in concord.yaml", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheStarterFile_FromInit_IsValid()
    {
        var (initCode, initOutput) = await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), "init");
        Assert.Equal(0, initCode);
        Assert.Contains("Wrote", initOutput, StringComparison.Ordinal);

        var (code, output) = await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), "validate");
        Assert.Equal(0, code);
        Assert.Contains("concord.yaml is valid: 2 systems, 1 entity types, 2 sync rules", output, StringComparison.Ordinal);

        var (again, refused) = await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), "init");
        Assert.Equal(1, again);
        Assert.Contains("already exists", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunRefuses_WhenASecretIsNotSet()
    {
        await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), "init");
        var (code, output) = await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), "run", "--listen", "http://127.0.0.1:0");
        Assert.Equal(1, code);
        Assert.Contains("environment variable CRM_SIGNING_SECRET", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingFile_SaysWhatToDo()
    {
        var (code, output) = await CliRunner.RunAsync(_dir.Path, TimeSpan.FromSeconds(60), "validate", "--config", "nope.yaml");
        Assert.Equal(1, code);
        Assert.Contains("concord init", output, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
