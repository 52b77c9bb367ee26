using System.Text.RegularExpressions;
using Concord.Core.Configuration;
using Concord.Testing;

namespace Concord.Cli.Tests;

/// <summary>
/// <c>concord init --template</c>: every shipped flow template is written as it ships and validates with nothing
/// left to fix but the secrets it names, and the flows it holds are listed.
/// </summary>
public sealed partial class InitTemplateTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _dir = new();

    /// <summary>Every template in the repository, so that one added later is checked too.</summary>
    private static IReadOnlyList<string> TemplateNames { get; } = Directory
        .GetFiles(Path.Combine(RepoPaths.Root, "src", "Concord.Cli", "Templates"), "flows-*.yaml")
        .Select(file => Path.GetFileNameWithoutExtension(file)["flows-".Length..])
        .Order(StringComparer.Ordinal)
        .ToList();

    public static TheoryData<string> Templates() => new(TemplateNames);

    [GeneratedRegex(@"\{ env: ([A-Z0-9_]+) \}")]
    private static partial Regex EnvReference();

    [Theory]
    [MemberData(nameof(Templates))]
    public async Task TheTemplate_IsWrittenAsShipped_AndOnlyItsSecretsAreLeftToSet(string template)
    {
        var (code, output) = await CliRunner.RunAsync(_dir.Path, Timeout, "init", "--template", template);
        Assert.True(code == 0, output);
        Assert.Contains("concord flow test NAME --input sample.json --dry-run", output, StringComparison.Ordinal);
        var shipped = TemplateConfig.Read(template);
        Assert.Equal(shipped, await File.ReadAllTextAsync(_dir.File("concord.yaml")));

        var (valid, validOutput) = await CliRunner.RunAsync(_dir.Path, Timeout, "validate");
        Assert.True(valid == 0, validOutput);
        Assert.Contains("concord.yaml is valid:", validOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", validOutput, StringComparison.Ordinal);

        // With the environment checked, the only problems are the secrets the file names, each reported once.
        var secrets = EnvReference().Matches(shipped).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(secrets);
        var (unset, unsetOutput) = await CliRunner.RunAsync(_dir.Path, Timeout, "validate", "--check-env");
        Assert.Equal(1, unset);
        var problems = unsetOutput.Split('\n').Where(l => l.StartsWith("concord.yaml:", StringComparison.Ordinal)).ToList();
        Assert.All(problems, p => Assert.Contains(" error secret-unset: ", p, StringComparison.Ordinal));
        Assert.Equal(secrets.Order(StringComparer.Ordinal), problems.Select(p => Regex.Match(p, "environment variable ([A-Z0-9_]+)").Groups[1].Value).Order(StringComparer.Ordinal));

        var set = secrets.ToDictionary(s => s, s => "value-of-" + s);
        var (clean, cleanOutput) = await CliRunner.RunAsync(_dir.Path, Timeout, set, "validate", "--check-env");
        Assert.True(clean == 0, cleanOutput);

        var flows = ConfigLoader.Load(shipped).Config.Flows.Keys.ToList();
        Assert.NotEmpty(flows);
        var (listed, listOutput) = await CliRunner.RunAsync(_dir.Path, Timeout, "flow", "list");
        Assert.True(listed == 0, listOutput);
        Assert.All(flows, flow => Assert.Contains($"{flow}: ", listOutput, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnUnknownTemplate_IsRefused_NamingTheOnesThereAre()
    {
        var (code, output) = await CliRunner.RunAsync(_dir.Path, Timeout, "init", "--template", "payments-to-books");

        Assert.Equal(2, code);
        Assert.Contains($"--template: no template 'payments-to-books'; there are {string.Join(", ", TemplateNames)}", output, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("concord.yaml")));
    }

    [Fact]
    public async Task AnExistingFile_IsKept_UnlessForced()
    {
        await File.WriteAllTextAsync(_dir.File("concord.yaml"), "mine");

        var (kept, keptOutput) = await CliRunner.RunAsync(_dir.Path, Timeout, "init", "--template", "invoice-from-text");
        Assert.Equal(1, kept);
        Assert.Contains("already exists; use --force", keptOutput, StringComparison.Ordinal);
        Assert.Equal("mine", await File.ReadAllTextAsync(_dir.File("concord.yaml")));

        var (forced, forcedOutput) = await CliRunner.RunAsync(_dir.Path, Timeout, "init", "--template", "invoice-from-text", "--force");
        Assert.True(forced == 0, forcedOutput);
        Assert.Equal(TemplateConfig.Read("invoice-from-text"), await File.ReadAllTextAsync(_dir.File("concord.yaml")));
    }

    public void Dispose() => _dir.Dispose();
}
