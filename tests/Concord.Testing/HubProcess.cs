using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit;

namespace Concord.Testing;

/// <summary>
/// The built <c>concord run</c> as a child process on a loopback port, as a user starts it: what the
/// tests that kill the hub with SIGKILL and start it again drive.
/// </summary>
public sealed class HubProcess : IAsyncDisposable
{
    /// <summary>The hub's last lines of output, to say why it stopped when it should not have.</summary>
    private readonly ConcurrentQueue<string> _said = new();
    private readonly Process _process;
    private bool _disposed;

    private HubProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>concord run --config <paramref name="config"/></c> with <paramref name="environment"/> (the secrets the file names).</summary>
    public static HubProcess Start(string config, int port, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "concord.dll"), "run", "--config", config, "--listen", $"http://127.0.0.1:{port}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (k, v) in environment)
        {
            info.Environment[k] = v;
        }

        var hub = new HubProcess(Process.Start(info)!, port);
        hub._process.OutputDataReceived += (_, e) => hub.Remember(e.Data);
        hub._process.ErrorDataReceived += (_, e) => hub.Remember(e.Data);
        hub._process.BeginOutputReadLine();
        hub._process.BeginErrorReadLine();
        return hub;
    }

    /// <summary>Waits until <c>/healthz</c> answers; fails at once, with the hub's last words, if it exited.</summary>
    public async Task WaitUpAsync(HttpClient http)
    {
        await Eventually.TrueAsync(async () =>
        {
            Assert.False(_process.HasExited, $"the hub exited with code {(_process.HasExited ? _process.ExitCode : 0)}:\n{string.Join('\n', _said)}");
            try
            {
                return (await http.GetAsync($"{Url}/healthz")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the hub to start", TimeSpan.FromSeconds(60));
    }

    /// <summary>SIGKILL: the hub stops where it stands, with no chance to finish or tidy anything.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        _said.Enqueue(line);
        while (_said.Count > 40 && _said.TryDequeue(out _))
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await KillAsync();
        _process.Dispose();
    }
}
