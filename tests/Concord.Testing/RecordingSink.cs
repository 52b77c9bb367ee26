using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Concord.Testing;

/// <summary>One request the sink received.</summary>
public sealed record SinkRequest(string IdempotencyKey, JsonObject Body, string Raw, IReadOnlyDictionary<string, string> Headers, DateTimeOffset At);

/// <summary>What the sink answers instead of 200: a status, optional headers, and an optional stall.</summary>
public sealed record SinkAnswer(int Status, string Body = "{}", IReadOnlyDictionary<string, string>? Headers = null, TimeSpan? Stall = null);

/// <summary>
/// A receiving system for tests: a real HTTP server on loopback that records every request,
/// applies each <c>Idempotency-Key</c> once (answering repeats from its cache, as Stripe does),
/// and fails on demand (timeouts, 500, 429 with Retry-After, 400).
/// </summary>
public sealed class RecordingSink : IAsyncDisposable
{
    private readonly ConcurrentQueue<SinkRequest> _requests = new();
    private readonly ConcurrentDictionary<string, SinkRequest> _applied = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SinkRequest> _appliedInOrder = new();
    private WebApplication? _app;
    private int _ids;

    public string Url { get; private set; } = "";

    /// <summary>Decides the answer to each request; null means "apply it and answer 200".</summary>
    public Func<SinkRequest, SinkAnswer?> Behavior { get; set; } = _ => null;

    /// <summary>
    /// How long an applied request waits for its answer. The work is done at once and the answer comes
    /// later, so a caller that dies meanwhile never learns that it was applied, and sends it again.
    /// </summary>
    public TimeSpan AnswerDelay { get; set; }

    public IReadOnlyList<SinkRequest> Requests => _requests.ToList();

    /// <summary>Requests applied, once per idempotency key, in the order they were applied.</summary>
    public IReadOnlyList<SinkRequest> Applied => _appliedInOrder.ToList();

    public int Repeats => _requests.Count(r => r.Body.Count > 0) - _applied.Count;

    public static async Task<RecordingSink> StartAsync()
    {
        var sink = new RecordingSink();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        sink._app = builder.Build();
        sink._app.Map("/{**path}", sink.HandleAsync);
        await sink._app.StartAsync();
        sink.Url = sink._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return sink;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var raw = await reader.ReadToEndAsync();
        var body = ParseObject(raw);
        var key = context.Request.Headers["Idempotency-Key"].ToString();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        headers["X-Path"] = context.Request.Path.ToUriComponent();
        var request = new SinkRequest(key, body, raw, headers, DateTimeOffset.UtcNow);
        _requests.Enqueue(request);

        if (Behavior(request) is { } answer)
        {
            if (answer.Stall is { } stall)
            {
                try
                {
                    await Task.Delay(stall, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            context.Response.StatusCode = answer.Status;
            foreach (var (k, v) in answer.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[k] = v;
            }

            await context.Response.WriteAsync(answer.Body);
            return;
        }

        if (key.Length == 0 || _applied.TryAdd(key, request))
        {
            _appliedInOrder.Enqueue(request);
        }

        if (AnswerDelay > TimeSpan.Zero)
        {
            // Not cut short when the caller goes away: what was applied stays applied.
            await Task.Delay(AnswerDelay);
            if (context.RequestAborted.IsCancellationRequested)
            {
                return;
            }
        }

        context.Response.ContentType = "application/json";
        var externalId = (string?)body["external_id"] ?? $"ext-{Interlocked.Increment(ref _ids)}";
        try
        {
            await context.Response.WriteAsync(new JsonObject { ["external_id"] = externalId }.ToJsonString());
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The caller went away before the answer: it will send the same key again.
        }
    }

    /// <summary>The body as a JSON object; a body that is not one (text, XML) is kept in <see cref="SinkRequest.Raw"/> only.</summary>
    private static JsonObject ParseObject(string raw)
    {
        try
        {
            return raw.Length > 0 && JsonNode.Parse(raw) is JsonObject o ? o : [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
