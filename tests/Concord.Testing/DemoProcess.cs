using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace Concord.Testing;

/// <summary>
/// <c>concord demo</c> as a newcomer starts it and leaves it: a child process (the <c>concord.dll</c> next to the test
/// assembly) in an empty folder, kept running after its story. Exposes what it printed: the hub's address, the API key
/// (with a client that uses it), and the dashboard's address and demo sign-in.
/// </summary>
public sealed partial class DemoProcess : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ConcurrentQueue<string> _said = new();
    private readonly Process _process = new();

    private DemoProcess()
    {
    }

    /// <summary>The hub's address.</summary>
    public string Url { get; private set; } = "";

    public string DashboardUrl { get; private set; } = "";

    public string User { get; private set; } = "";

    public string Password { get; private set; } = "";

    /// <summary>Everything the demo printed so far.</summary>
    public string Output => string.Join('\n', _said);

    /// <summary>Calls the hub's API with the demo's key.</summary>
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<DemoProcess> StartAsync()
    {
        var port = HubHarness.FreePort();
        var demo = new DemoProcess();
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
        var dashboard = DashboardLine().Match(demo.Output);
        Assert.True(dashboard.Success, demo.Output);
        demo.DashboardUrl = dashboard.Groups["url"].Value;
        demo.User = dashboard.Groups["user"].Value;
        demo.Password = dashboard.Groups["password"].Value;
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

    [GeneratedRegex(@"(?m)^Dashboard: (?<url>http://\S+/dashboard)\s+sign in as (?<user>\S+) with password (?<password>\S+)\r?$")]
    private static partial Regex DashboardLine();

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
