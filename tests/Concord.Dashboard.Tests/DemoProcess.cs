using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Concord.Testing;

namespace Concord.Dashboard.Tests;

/// <summary>
/// <c>concord demo</c> as a newcomer starts it: a child process in an empty folder, kept running after its story.
/// Exposes the dashboard address and the demo user's password it prints.
/// </summary>
public sealed partial class DemoProcess : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ConcurrentQueue<string> _said = new();
    private readonly Process _process;

    private DemoProcess(Process process) => _process = process;

    public string DashboardUrl { get; private set; } = "";

    public string User { get; private set; } = "";

    public string Password { get; private set; } = "";

    public static async Task<DemoProcess> StartAsync()
    {
        var port = HubHarness.FreePort();
        var demo = new DemoProcess(new Process());
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
            Assert.False(demo._process.HasExited, "the demo exited:\n" + string.Join('\n', demo._said));
            return Task.FromResult(demo._said.Any(l => l.Contains("press Ctrl+C to stop", StringComparison.Ordinal)));
        }, "the demo to finish its story", TimeSpan.FromSeconds(120));

        var line = demo._said.First(l => l.StartsWith("Dashboard: ", StringComparison.Ordinal));
        var match = DashboardLine().Match(line);
        Assert.True(match.Success, line);
        demo.DashboardUrl = match.Groups["url"].Value;
        demo.User = match.Groups["user"].Value;
        demo.Password = match.Groups["password"].Value;
        return demo;
    }

    private void Remember(string? line)
    {
        if (line is not null)
        {
            _said.Enqueue(line);
        }
    }

    [GeneratedRegex(@"^Dashboard: (?<url>http://\S+/dashboard)\s+sign in as (?<user>\S+) with password (?<password>\S+)$")]
    private static partial Regex DashboardLine();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _dir.Dispose();
    }
}
