using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Concord.Bench;

/// <summary>
/// The hub under test: a temporary folder with <c>concord.yaml</c> and the SQLite file, an API key,
/// and <c>dotnet concord.dll run</c> as a child process with the default durable settings.
/// </summary>
internal sealed class HubProcess : IAsyncDisposable
{
    private const string SecretVariable = "CONCORD_BENCH_WEBHOOK_SECRET";

    private readonly string _dll;
    private readonly string _dir;
    private readonly bool _keep;
    private readonly StreamWriter _log;
    private Process? _process;

    private HubProcess(string dll, string dir, bool keep)
    {
        _dll = dll;
        _dir = dir;
        _keep = keep;
        _log = new StreamWriter(Path.Combine(dir, "hub.log")) { AutoFlush = true };
    }

    public Uri Url { get; private set; } = null!;
    public string ApiKey { get; private set; } = "";
    public string Directory => _dir;
    public int Pid => _process?.Id ?? 0;

    /// <summary>
    /// The configuration: <c>source</c> contributes customers (its changes arrive through the API),
    /// <c>sink</c> receives every golden change as an HTTP POST.
    /// </summary>
    public static string Config(Uri listen, Uri sink, int? deliveryConcurrency) => $"""
        # Written by concord-bench: one contributing system, one HTTP destination.
        version: 1
        hub:
          listen: {listen.ToString().TrimEnd('/')}
          data: bench.db
        systems:
          source:
            kind: webhook             # any system with a pull rule may post to /api/v1/changes/source
            settings:
              mode: shared-secret
              secret: {"{"} env: {SecretVariable} {"}"}
          sink:
            kind: http
            settings:
              url: {sink}{(deliveryConcurrency is { } dc ? $"\n    rate_limit: {{ concurrency: {dc} }}" : "")}
        entities:
          customer:
            owner: source
            identity: [email]
        syncs:
          - {"{"} system: source, type: customer, direction: pull {"}"}
          - {"{"} system: sink, type: customer, direction: push {"}"}
        """;

    public static async Task<HubProcess> StartAsync(string dll, Uri sink, int? deliveryConcurrency, bool keep, CancellationToken ct)
    {
        var dir = Path.Combine(Path.GetTempPath(), "concord-bench-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(dir);
        var hub = new HubProcess(dll, dir, keep);
        hub.Url = new Uri($"http://127.0.0.1:{FreePort()}/");
        var config = Path.Combine(dir, "concord.yaml");
        await File.WriteAllTextAsync(config, Config(hub.Url, sink, deliveryConcurrency), ct);

        var (code, output) = await hub.RunToEndAsync(ct, "keys", "create", "--name", "bench", "--config", config);
        var lines = output.Split('\n', StringSplitOptions.TrimEntries);
        if (code != 0 || lines.Length < 2 || !lines[1].StartsWith("ck_", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"`concord keys create` failed ({code}):\n{output}");
        }

        hub.ApiKey = lines[1];
        hub._process = hub.Start("run", "--config", config);
        await hub.WaitReadyAsync(ct);
        return hub;
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private ProcessStartInfo StartInfo(params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _dir,
        };
        info.ArgumentList.Add(_dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment[SecretVariable] = "bench-" + Guid.NewGuid().ToString("N");
        return info;
    }

    private async Task<(int Code, string Output)> RunToEndAsync(CancellationToken ct, params string[] args)
    {
        using var p = Process.Start(StartInfo(args)) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        return (p.ExitCode, await stdout + await stderr);
    }

    private Process Start(params string[] args)
    {
        var p = new Process { StartInfo = StartInfo(args) };
        p.OutputDataReceived += (_, e) => Log(e.Data);
        p.ErrorDataReceived += (_, e) => Log(e.Data);
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private void Log(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.WriteLine(line);
            }
        }
    }

    private async Task WaitReadyAsync(CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"the hub exited with {_process.ExitCode}; see {Path.Combine(_dir, "hub.log")}");
            }

            try
            {
                using var r = await http.GetAsync(new Uri(Url, "/healthz"), ct);
                if (r.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }

            await Task.Delay(100, ct);
        }

        throw new TimeoutException("the hub did not answer /healthz within 60 s");
    }

    /// <summary>SIGTERM, then up to 30 s for a clean stop, then SIGKILL. Returns the stop time in seconds.</summary>
    public async Task<double> StopAsync()
    {
        if (_process is null || _process.HasExited)
        {
            return 0;
        }

        var sw = Stopwatch.StartNew();
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
        {
            await kill!.WaitForExitAsync();
        }

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            Log("concord-bench: the hub ignored SIGTERM for 30 s; killing it");
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        return sw.Elapsed.TotalSeconds;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        await _log.DisposeAsync();
        if (!_keep)
        {
            try
            {
                System.IO.Directory.Delete(_dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
