using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Concord.Sandboxes;

/// <summary>
/// The common part of every vendor sandbox: a real HTTP server on loopback that a subclass fills
/// with the vendor's paths, plus the faults tests need — an outage (every call refused with the
/// vendor's 503), a burst of the vendor's own 429s, and added latency — and a log of the calls.
/// Each subclass answers with the vendor's real status codes and error bodies.
/// </summary>
public abstract class VendorSandbox : IAsyncDisposable
{
    private readonly ConcurrentQueue<SandboxRequest> _requests = new();
    private WebApplication? _app;
    private int _throttleLeft;
    private TimeSpan _throttleRetryAfter = TimeSpan.FromSeconds(1);

    protected VendorSandbox(string name)
    {
        Name = name;
    }

    /// <summary>The system's name in the hub's configuration; webhooks go to <c>{HubUrl}/hooks/{Name}</c>.</summary>
    public string Name { get; }

    /// <summary>The sandbox's base URL, e.g. <c>http://127.0.0.1:5123</c>; the connector's <c>base_url</c>.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Where the hub is; null sends no webhooks.</summary>
    public string? HubUrl { get; set; }

    /// <summary>While true every call is refused with the vendor's 503, as during an outage.</summary>
    public bool Down { get; set; }

    /// <summary>Added to every call.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Every call received (paths and methods), oldest first.</summary>
    public IReadOnlyList<SandboxRequest> Requests => _requests.ToArray();

    /// <summary>Calls refused by an outage or a throttle.</summary>
    public int Refused => _refused;

    private int _refused;

    /// <summary>The next <paramref name="count"/> calls get the vendor's 429 with this <c>Retry-After</c>.</summary>
    public void Throttle(int count, TimeSpan retryAfter)
    {
        _throttleRetryAfter = retryAfter;
        Interlocked.Exchange(ref _throttleLeft, count);
    }

    public async Task StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            _requests.Enqueue(new SandboxRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, DateTimeOffset.UtcNow));
            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency, context.RequestAborted);
            }

            if (Down)
            {
                Interlocked.Increment(ref _refused);
                await Unavailable(context).ExecuteAsync(context);
                return;
            }

            if (Interlocked.Decrement(ref _throttleLeft) >= 0)
            {
                Interlocked.Increment(ref _refused);
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(_throttleRetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Throttled(context, _throttleRetryAfter).ExecuteAsync(context);
                return;
            }

            Interlocked.Exchange(ref _throttleLeft, Math.Max(Volatile.Read(ref _throttleLeft), 0));
            await next(context);
        });
        MapRoutes(_app);
        await _app.StartAsync();
        Url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    /// <summary>The vendor's paths.</summary>
    protected abstract void MapRoutes(WebApplication app);

    /// <summary>The vendor's answer when over its rate limit (status 429 and its error body); <c>Retry-After</c> is already set.</summary>
    protected abstract IResult Throttled(HttpContext context, TimeSpan retryAfter);

    /// <summary>The vendor's answer during an outage.</summary>
    protected virtual IResult Unavailable(HttpContext context) =>
        Results.Json(new { message = $"{Name} is unavailable" }, statusCode: StatusCodes.Status503ServiceUnavailable);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>One call a sandbox received.</summary>
public sealed record SandboxRequest(string Method, string PathAndQuery, DateTimeOffset At);
