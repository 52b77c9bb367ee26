using System.CommandLine;
using System.Net.Http.Headers;
using Concord.Core.Map;

namespace Concord.Cli.Commands;

/// <summary>
/// <c>concord map</c>: the integration map as SVG (and Mermaid text), drawn from <c>concord.yaml</c> alone, or
/// fetched from a running hub with <c>--live</c> so it carries health, volume and "last verified".
/// </summary>
internal static class MapCommand
{
    /// <summary>Where <c>--live</c> takes the API key from when <c>--api-key</c> is not given.</summary>
    public const string ApiKeyVariable = "CONCORD_API_KEY";

    public static Command Create()
    {
        var config = CommonOptions.Config();
        var output = new Option<FileInfo>("--out", "-o")
        {
            Description = "Write the SVG to this file",
            DefaultValueFactory = _ => new FileInfo("map.svg"),
        };
        var mermaid = new Option<FileInfo?>("--mermaid") { Description = "Also write the map as Mermaid text to this file" };
        var live = new Option<string?>("--live") { Description = "Fetch the live map from a running hub at this URL (e.g. http://127.0.0.1:5080) instead of drawing it from the configuration" };
        var apiKey = new Option<string?>("--api-key") { Description = $"The API key for --live (default: the {ApiKeyVariable} environment variable)" };
        var command = new Command("map", "Draw the integration map: systems by layer, the system of record per type, sync directions, flows; live health, volume and last verified with --live")
        {
            config, output, mermaid, live, apiKey,
        };
        command.SetAction(async (result, ct) =>
        {
            var svgFile = result.GetValue(output)!;
            var mermaidFile = result.GetValue(mermaid);
            if (result.GetValue(live) is { } url)
            {
                var key = result.GetValue(apiKey) ?? Environment.GetEnvironmentVariable(ApiKeyVariable);
                if (string.IsNullOrWhiteSpace(key))
                {
                    Console.Error.WriteLine($"--live needs an API key: pass --api-key or set {ApiKeyVariable} (create one with `concord keys create`)");
                    return 2;
                }

                return await FetchAsync(url.TrimEnd('/'), key, svgFile, mermaidFile, ct);
            }

            var file = result.GetValue(config)!;
            var loaded = CommonOptions.LoadOrReport(file, checkEnvironment: false, Console.Error);
            if (loaded is null)
            {
                return 1;
            }

            var map = StackMapBuilder.Build(loaded);
            await File.WriteAllTextAsync(svgFile.FullName, MapSvg.Render(MapLayouter.Lay(map, null)), ct);
            Console.WriteLine($"Wrote {svgFile.Name}: {Describe(map)}.");
            if (mermaidFile is not null)
            {
                await File.WriteAllTextAsync(mermaidFile.FullName, MapMermaid.Render(map, null), ct);
                Console.WriteLine($"Wrote {mermaidFile.Name}.");
            }

            return 0;
        });
        return command;
    }

    private static string Describe(StackMap map)
    {
        var tools = map.Systems.Count(s => s.IsTool);
        return $"{Count(map.Systems.Count - tools, "system", "systems")}{(tools > 0 ? $" and {Count(tools, "tool", "tools")}" : "")}, "
            + $"{Count(map.Types.Count(t => map.Connections.Any(c => c.Type == t.Name)), "type", "types")}, {Count(map.Connections.Count, "connection", "connections")}, {Count(map.Flows.Count, "flow", "flows")}";
    }

    private static string Count(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";

    private static async Task<int> FetchAsync(string url, string key, FileInfo svgFile, FileInfo? mermaidFile, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        http.DefaultRequestHeaders.UserAgent.ParseAdd("Concord/1.0");
        foreach (var (path, file) in new[] { ("/map", (FileInfo?)svgFile), ("/map.mmd", mermaidFile) })
        {
            if (file is null)
            {
                continue;
            }

            try
            {
                using var response = await http.GetAsync(url + path, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                if (!response.IsSuccessStatusCode)
                {
                    Console.Error.WriteLine($"GET {url}{path} answered {(int)response.StatusCode} {response.ReasonPhrase}: {body}");
                    return 1;
                }

                await File.WriteAllTextAsync(file.FullName, body, ct);
                Console.WriteLine($"Wrote {file.Name} from {url}{path}.");
            }
            catch (HttpRequestException ex)
            {
                Console.Error.WriteLine($"cannot reach the hub at {url}: {ex.Message}");
                return 1;
            }
        }

        return 0;
    }
}
