using System.CommandLine;

namespace Concord.Cli.Commands;

/// <summary><c>concord init</c>: writes a starter <c>concord.yaml</c>.</summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var path = new Option<FileInfo>("--path") { Description = "Where to write it", DefaultValueFactory = _ => new FileInfo("concord.yaml") };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing file" };
        var command = new Command("init", "Write a starter concord.yaml") { path, force };
        command.SetAction(result =>
        {
            var file = result.GetValue(path)!;
            if (file.Exists && !result.GetValue(force))
            {
                Console.Error.WriteLine($"{file.Name} already exists; use --force to overwrite it.");
                return 1;
            }

            using var stream = typeof(InitCommand).Assembly.GetManifestResourceStream("Concord.Cli.Templates.starter.yaml")!;
            using var reader = new StreamReader(stream);
            File.WriteAllText(file.FullName, reader.ReadToEnd());
            Console.WriteLine($"Wrote {file.FullName}. Check it with `concord validate`.");
            return 0;
        });
        return command;
    }
}
