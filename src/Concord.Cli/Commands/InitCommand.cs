using System.CommandLine;

namespace Concord.Cli.Commands;

/// <summary><c>concord init</c>: writes a starter <c>concord.yaml</c>.</summary>
internal static class InitCommand
{
    private const string Prefix = "Concord.Cli.Templates.flows-";

    /// <summary>The shipped flow templates, by name (<c>Templates/flows-&lt;name&gt;.yaml</c>).</summary>
    public static IReadOnlyList<string> Templates { get; } = typeof(InitCommand).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..^".yaml".Length])
        .Order(StringComparer.Ordinal)
        .ToList();

    public static Command Create()
    {
        var path = new Option<FileInfo>("--path") { Description = "Where to write it", DefaultValueFactory = _ => new FileInfo("concord.yaml") };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing file" };
        var template = new Option<string?>("--template")
        {
            Description = $"Start from a flow template instead: {string.Join(", ", Templates)} (docs/flow-templates.md)",
        };
        var command = new Command("init", "Write a starter concord.yaml") { path, force, template };
        command.SetAction(result =>
        {
            var file = result.GetValue(path)!;
            if (file.Exists && !result.GetValue(force))
            {
                Console.Error.WriteLine($"{file.Name} already exists; use --force to overwrite it.");
                return 1;
            }

            var chosen = result.GetValue(template);
            if (chosen is not null && !Templates.Contains(chosen, StringComparer.Ordinal))
            {
                Console.Error.WriteLine($"--template: no template '{chosen}'; there are {string.Join(", ", Templates)}");
                return 2;
            }

            var resource = chosen is null ? "Concord.Cli.Templates.starter.yaml" : $"{Prefix}{chosen}.yaml";
            using var stream = typeof(InitCommand).Assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            File.WriteAllText(file.FullName, reader.ReadToEnd());
            Console.WriteLine($"Wrote {file.FullName}. Check it with `concord validate`.");
            if (chosen is not null)
            {
                Console.WriteLine("Set the environment variables its { env: … } settings name, then try a flow with `concord flow test NAME --input sample.json --dry-run`.");
            }

            return 0;
        });
        return command;
    }
}
