using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Concord.Testing;

/// <summary>
/// Stoplight Prism serving a vendor's own OpenAPI specification on loopback: a contract test sends
/// the connector's real requests to it, and any request Prism finds against the spec comes back as
/// a 4xx with an <c>sl-violations</c> header. Prism is installed by <c>./test.sh</c> into
/// <c>tests/prism/node_modules</c>; when it is missing the test fails rather than skips.
/// </summary>
public sealed class PrismMock : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PrismMock(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <summary>What Prism printed, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts Prism with a spec (a path relative to the vendor-specs folder) and waits until it listens.</summary>
    public static async Task<PrismMock> StartAsync(string spec, TimeSpan? startup = null)
    {
        var specPath = RepoPaths.VendorSpec(spec);
        var cli = Path.Combine(RepoPaths.Root, "tests", "prism", "node_modules", "@stoplight", "prism-cli", "dist", "index.js");
        if (!File.Exists(cli))
        {
            throw new InvalidOperationException($"Prism is not installed ({cli} is missing): run `npm ci --prefix tests/prism` (./test.sh does this)");
        }

        var port = FreePort();
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { cli, "mock", "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--errors", specPath })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start node");
        var mock = new PrismMock(process, new Uri($"http://127.0.0.1:{port}"));
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (mock._output)
            {
                mock._output.AppendLine(e.Data);
            }

            if (e.Data.Contains("Prism is listening", StringComparison.Ordinal))
            {
                listening.TrySetResult();
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var limit = Task.Delay(startup ?? TimeSpan.FromSeconds(120));
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, limit, exited);
        if (first != listening.Task)
        {
            await mock.DisposeAsync();
            throw new InvalidOperationException($"Prism did not start with {spec}:\n{mock.Output}");
        }

        return mock;
    }

    /// <summary>
    /// Fails when Prism says the request broke the spec. Prism answers a request it rejects with a
    /// 4xx and an <c>sl-violations</c> header naming each violation.
    /// </summary>
    public static void AssertAccepted(HttpResponseMessage response, string what)
    {
        if (response.Headers.TryGetValues("sl-violations", out var headers))
        {
            // Only violations of the request count: the spec's own examples sometimes break its
            // response schemas, which says nothing about the connector.
            var requestViolations = new List<string>();
            foreach (var header in headers)
            {
                using var doc = System.Text.Json.JsonDocument.Parse(header);
                foreach (var v in doc.RootElement.EnumerateArray())
                {
                    if (v.TryGetProperty("location", out var location) && location.ValueKind == System.Text.Json.JsonValueKind.Array
                        && location.GetArrayLength() > 0 && location[0].GetString() == "request"
                        && (!v.TryGetProperty("severity", out var severity) || severity.GetString() == "Error"))
                    {
                        requestViolations.Add(v.GetRawText());
                    }
                }
            }

            if (requestViolations.Count > 0)
            {
                throw new Xunit.Sdk.XunitException($"{what}: the vendor's specification rejects the request ({(int)response.StatusCode}): {string.Join(" ", requestViolations)}");
            }
        }

        if ((int)response.StatusCode is 404 or 405 or 415)
        {
            throw new Xunit.Sdk.XunitException($"{what}: the mock answered {(int)response.StatusCode}; the operation or content type is not in the specification");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }

        _process.Dispose();
    }
}
