using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Concord.Bench;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    if (ex.Message.Length > 0)
    {
        Console.Error.WriteLine(ex.Message);
    }

    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var dll = HubLocator.Find(options.Hub);
if (dll is null)
{
    Console.Error.WriteLine("concord.dll not found: run `dotnet build -c Release` at the repository root first, or pass --hub PATH/concord.dll");
    return 2;
}

var inv = CultureInfo.InvariantCulture;
void Say(string line) => Console.WriteLine(line);
using var overall = new CancellationTokenSource(TimeSpan.FromSeconds(options.TimeoutSeconds + 120));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    overall.Cancel();
};

await using var sink = await Sink.StartAsync(options.Changes);
Say($"sink listening on {sink.Url}");
var hub = await HubProcess.StartAsync(dll, sink.Url, options.DeliveryConcurrency, options.Keep, overall.Token);
await using var hubScope = hub;
Say($"hub {dll} pid {hub.Pid} on {hub.Url} (data in {hub.Directory})");

var rss = new RssSampler(hub.Pid);
using var handler = new SocketsHttpHandler
{
    MaxConnectionsPerServer = options.Concurrency,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    UseProxy = false,
    AutomaticDecompression = DecompressionMethods.None,
};
using var http = new HttpClient(handler) { BaseAddress = hub.Url, Timeout = TimeSpan.FromSeconds(60) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", hub.ApiKey);

if (options.Warmup > 0)
{
    var warm = Load.Build('w', options.Warmup, options.Batch);
    var w = await Load.SendAsync(http, warm, Math.Min(options.Concurrency, warm.Length), overall.Token);
    var until = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 120);
    while (sink.Warmup < options.Warmup && Stopwatch.GetTimestamp() < until)
    {
        await Task.Delay(50, overall.Token);
    }

    Say($"warm-up: {options.Warmup} changes, {w.Failed} failed requests, {sink.Warmup} delivered");
}

var plan = Load.Build('m', options.Changes, options.Batch);
var sendTs = new long[options.Changes];
var hubTicks0 = ProcFs.CpuTicks(hub.Pid);
var busy0 = ProcFs.MachineBusyTicks();
var self0 = Process.GetCurrentProcess().TotalProcessorTime;
var write0 = ProcFs.WriteBytes(hub.Pid);
using var window = new CancellationTokenSource(TimeSpan.FromSeconds(options.TimeoutSeconds));
using var linked = CancellationTokenSource.CreateLinkedTokenSource(window.Token, overall.Token);
Say($"sending {options.Changes} changes, {plan.Length} requests of {options.Batch}, concurrency {options.Concurrency}");
var sent = await Load.SendAsync(http, plan, options.Concurrency, linked.Token, sendTs);
var hubTicksAck = ProcFs.CpuTicks(hub.Pid);
Say(string.Create(inv, $"accepted: {sent.Ok} requests in {Ms(sent.FirstSend, sent.LastAck) / 1000:F2} s, {sent.Failed} failed{(sent.FirstError is null ? "" : $" (first: {sent.FirstError})")}"));

var delivered = true;
try
{
    await sink.AllMeasured.WaitAsync(linked.Token);
}
catch (OperationCanceledException)
{
    delivered = false;
}

var end = Stopwatch.GetTimestamp();
var hubTicks1 = ProcFs.CpuTicks(hub.Pid);
var busy1 = ProcFs.MachineBusyTicks();
var self1 = Process.GetCurrentProcess().TotalProcessorTime;
var write1 = ProcFs.WriteBytes(hub.Pid);
var rssPeakKb = Math.Max(rss.Stop(), ProcFs.RssKb(hub.Pid));
var hwmKb = ProcFs.PeakRssKb(hub.Pid);
var stopS = await hub.StopAsync();

var arrivals = sink.Arrival;
var lastArrival = arrivals.Where(a => a != 0).DefaultIfEmpty(end).Max();
var e2e = new List<double>(options.Changes);
for (var i = 0; i < arrivals.Length; i++)
{
    if (arrivals[i] != 0 && sendTs[i] != 0)
    {
        e2e.Add(Ms(sendTs[i], arrivals[i]));
    }
}

var acks = sent.AckMs.Where(a => a >= 0).ToArray();
var wall = (end - sent.FirstSend) / (double)Stopwatch.Frequency;
var acceptS = Ms(sent.FirstSend, sent.LastAck) / 1000;
var deliverS = Ms(sent.FirstSend, lastArrival) / 1000;
var hubCpuMs = (hubTicks1 - hubTicks0) * 1000.0 / ProcFs.ClockTicks;
var selfCpuMs = (self1 - self0).TotalMilliseconds;
var othersPct = (((busy1 - busy0) * 1000.0 / ProcFs.ClockTicks) - hubCpuMs - selfCpuMs) / 10 / wall;

Say(sink.ToString());
Say(string.Create(inv, $"delivered: {sink.Measured}/{options.Changes} in {deliverS:F2} s from the first send{(delivered ? "" : " (TIMED OUT)")}; p50 e2e {Pct(e2e, 50):F1} ms, p99 e2e {Pct(e2e, 99):F1} ms"));
Say(string.Create(inv, $"ack latency: p50 {Pct(acks, 50):F1} ms, p90 {Pct(acks, 90):F1} ms, p99 {Pct(acks, 99):F1} ms, max {Pct(acks, 100):F1} ms over {acks.Length} requests"));
Say(string.Create(inv, $"hub cpu: {hubCpuMs / wall / 10:F0}% of one core over the window ({(hubTicksAck - hubTicks0) * 1000.0 / ProcFs.ClockTicks / Math.Max(acceptS, 1e-9) / 10:F0}% while accepting), {hubCpuMs / options.Changes:F3} ms per change; generator+sink cpu {selfCpuMs / wall / 10:F0}%; others_cpu_pct={othersPct:F0}"));
Say(string.Create(inv, $"hub disk writes: {(write1 - write0) / 1024.0 / options.Changes:F2} kB per change; hub rss peak sampled {rssPeakKb / 1024} MB, VmHWM {hwmKb / 1024} MB; stop took {stopS:F1} s"));
Say($"machine: cpu=\"{ProcFs.CpuModel()}\" cores={Environment.ProcessorCount} ram_mb={ProcFs.MemTotalMb()} batch={options.Batch} warmup={options.Warmup} delivery_concurrency={options.DeliveryConcurrency?.ToString(inv) ?? "default"} durability=default(WAL, synchronous=FULL) os=\"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}\" runtime={Environment.Version}");
Say(string.Create(inv,
    $"concord-bench changes={options.Changes} concurrency={options.Concurrency} accepted_per_s={options.Changes / acceptS:F0} delivered_per_s={(delivered ? options.Changes / deliverS : 0):F0} p50_ack_ms={Pct(acks, 50):F1} p99_ack_ms={Pct(acks, 99):F1} p99_e2e_ms={Pct(e2e, 99):F1} rss_mb={rssPeakKb / 1024} cores={Environment.ProcessorCount}"));
return delivered && sent.Failed == 0 ? 0 : 1;

static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

static double Pct(IReadOnlyCollection<double> values, double p)
{
    if (values.Count == 0)
    {
        return 0;
    }

    var sorted = values.Order().ToArray();
    var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
    return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
}

namespace Concord.Bench
{
    /// <summary>One request of the plan: its body and the change indexes it carries.</summary>
    internal sealed record PlannedRequest(byte[] Body, int First, int Count);

    /// <summary>What a send phase saw.</summary>
    internal sealed record SendResult(long FirstSend, long LastAck, double[] AckMs, int Ok, int Failed, string? FirstError);

    /// <summary>Builds and posts the changes.</summary>
    internal static class Load
    {
        /// <summary>
        /// Requests of <paramref name="batch"/> changes each; change i is customer <c>{prefix}{i}@bench.test</c>
        /// with its own external id and event id, so each one creates a record and causes one delivery.
        /// Built before the clock starts.
        /// </summary>
        public static PlannedRequest[] Build(char prefix, int changes, int batch)
        {
            var list = new List<PlannedRequest>((changes + batch - 1) / batch);
            for (var first = 0; first < changes; first += batch)
            {
                var count = Math.Min(batch, changes - first);
                using var ms = new MemoryStream();
                using (var w = new Utf8JsonWriter(ms))
                {
                    w.WriteStartObject();
                    w.WriteStartArray("changes");
                    for (var i = first; i < first + count; i++)
                    {
                        var id = string.Create(CultureInfo.InvariantCulture, $"{prefix}{i}");
                        w.WriteStartObject();
                        w.WriteString("type", "customer");
                        w.WriteString("external_id", "c-" + id);
                        w.WriteString("event_id", "e-" + id);
                        w.WriteStartObject("fields");
                        w.WriteString("email", id + Sink.MeasuredDomain);
                        w.WriteString("name", "Bench Customer " + id);
                        w.WriteString("company", "Bench Corp");
                        w.WriteEndObject();
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                list.Add(new PlannedRequest(ms.ToArray(), first, count));
            }

            return [.. list];
        }

        public static async Task<SendResult> SendAsync(HttpClient http, PlannedRequest[] plan, int concurrency, CancellationToken ct, long[]? sendTs = null)
        {
            var ack = new double[plan.Length];
            Array.Fill(ack, -1);
            var next = -1;
            var ok = 0;
            var failed = 0;
            long lastAck = 0;
            string? firstError = null;
            var uri = new Uri("/api/v1/changes/source", UriKind.Relative);
            var firstSend = Stopwatch.GetTimestamp();

            async Task Worker()
            {
                int r;
                while ((r = Interlocked.Increment(ref next)) < plan.Length && !ct.IsCancellationRequested)
                {
                    var req = plan[r];
                    var start = Stopwatch.GetTimestamp();
                    if (sendTs is not null)
                    {
                        Array.Fill(sendTs, start, req.First, req.Count);
                    }

                    try
                    {
                        using var content = new ByteArrayContent(req.Body);
                        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                        using var response = await http.PostAsync(uri, content, ct);
                        var body = await response.Content.ReadAsStringAsync(ct);
                        var done = Stopwatch.GetTimestamp();
                        if (response.StatusCode == HttpStatusCode.Accepted)
                        {
                            ack[r] = (done - start) * 1000.0 / Stopwatch.Frequency;
                            Interlocked.Increment(ref ok);
                            long seen;
                            while ((seen = Interlocked.Read(ref lastAck)) < done && Interlocked.CompareExchange(ref lastAck, done, seen) != seen)
                            {
                            }
                        }
                        else
                        {
                            Interlocked.Increment(ref failed);
                            Interlocked.CompareExchange(ref firstError, $"{(int)response.StatusCode} {Trim(body)}", null);
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref failed);
                        Interlocked.CompareExchange(ref firstError, ex.Message, null);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }

            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Worker, CancellationToken.None)));
            return new SendResult(firstSend, lastAck == 0 ? Stopwatch.GetTimestamp() : lastAck, ack, ok, failed, firstError);
        }

        private static string Trim(string s) => s.Length > 200 ? s[..200] : s;
    }

    /// <summary>Samples a process's VmRSS every 100 ms and keeps the peak.</summary>
    internal sealed class RssSampler
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task<long> _task;

        public RssSampler(int pid)
        {
            _task = Task.Run(async () =>
            {
                long peak = 0;
                while (!_stop.IsCancellationRequested)
                {
                    peak = Math.Max(peak, ProcFs.RssKb(pid));
                    try
                    {
                        await Task.Delay(100, _stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }

                return peak;
            });
        }

        public long Stop()
        {
            _stop.Cancel();
            var peak = _task.GetAwaiter().GetResult();
            _stop.Dispose();
            return peak;
        }
    }

    /// <summary>Finds the built hub.</summary>
    internal static class HubLocator
    {
        public static string? Find(string? given)
        {
            if (given is not null)
            {
                return File.Exists(given) ? Path.GetFullPath(given) : null;
            }

            if (Environment.GetEnvironmentVariable("CONCORD_HUB") is { Length: > 0 } env)
            {
                return File.Exists(env) ? Path.GetFullPath(env) : null;
            }

            foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            {
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                {
                    if (File.Exists(Path.Combine(dir.FullName, "concord.slnx")))
                    {
                        var dll = Path.Combine(dir.FullName, "src", "Concord.Cli", "bin", "Release", "net10.0", "concord.dll");
                        return File.Exists(dll) ? dll : null;
                    }
                }
            }

            return null;
        }
    }
}
