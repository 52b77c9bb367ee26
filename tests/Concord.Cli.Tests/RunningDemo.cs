using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Concord.Testing;

namespace Concord.Cli.Tests;

/// <summary>
/// <c>concord demo</c> left running after its story, as a newcomer leaves it: a child process in an empty
/// folder, with the hub's address and the API key it printed, and a client that uses them.
/// </summary>
public sealed partial class RunningDemo : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ConcurrentQueue<string> _said = new();
    private readonly Process _process = new();

    private RunningDemo()
    {
    }

    public string Url { get; private set; } = "";

    /// <summary>Everything the demo printed so far.</summary>
    public string Output => string.Join('\n', _said);

    /// <summary>Calls the hub's API with the demo's key.</summary>
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<RunningDemo> StartAsync()
    {
        var port = HubHarness.FreePort();
        var demo = new RunningDemo();
        demo._process.StartInfo = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "concord.dll"), "demo", "--port", port.ToString(CultureInfo.InvariantCulture) },
            WorkingDirectory = demo._dir.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        demo._process.OutputDataReceived += (_, e) => demo.Remember(e.Data);
        demo._process.ErrorDataReceived += (_, e) => demo.Remember(e.Data);
        demo._process.Start();
        demo._process.BeginOutputReadLine();
        demo._process.BeginErrorReadLine();

        await Eventually.TrueAsync(() =>
        {
            Assert.False(demo._process.HasExited, "the demo exited:\n" + demo.Output);
            return Task.FromResult(demo._said.Any(l => l.Contains("press Ctrl+C to stop", StringComparison.Ordinal)));
        }, "the demo to finish its story", TimeSpan.FromSeconds(120));

        demo.Url = $"http://127.0.0.1:{port}";
        var key = ApiKeyLine().Match(demo.Output);
        Assert.True(key.Success, demo.Output);
        demo.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Groups["key"].Value);
        return demo;
    }

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(Url + path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    public async Task<JsonNode> PostAsync(string path)
    {
        using var response = await Http.PostAsync(Url + path, null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    private void Remember(string? line)
    {
        if (line is not null)
        {
            _said.Enqueue(line);
        }
    }

    [GeneratedRegex(@"API key \(demo\): (?<key>ck_[A-Za-z0-9_-]+)")]
    private static partial Regex ApiKeyLine();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        Http.Dispose();
        _dir.Dispose();
    }
}
