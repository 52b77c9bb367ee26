using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Concord.Bench;

/// <summary>
/// The receiving end: a minimal Kestrel server on 127.0.0.1 that answers 200 to every POST,
/// dedupes by <c>Idempotency-Key</c> and records the first arrival time of each record. Records are
/// correlated by their email: <c>m{index}@bench.test</c> (measured) or <c>w{index}@bench.test</c> (warm-up).
/// </summary>
internal sealed class Sink : IAsyncDisposable
{
    public const string MeasuredDomain = "@bench.test";

    private static readonly ReadOnlyMemory<byte> Ok = "{\"ok\":true}"u8.ToArray();

    private readonly long[] _arrival;
    private readonly ConcurrentDictionary<string, byte> _keys = new(StringComparer.Ordinal);
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _allMeasured = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _measured;
    private int _warmup;
    private int _duplicates;
    private int _unknown;
    private long _requests;

    private Sink(int changes, WebApplication app)
    {
        _arrival = new long[changes];
        _app = app;
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>First-arrival timestamps (<see cref="Stopwatch"/> ticks) by change index; 0 = not (yet) delivered.</summary>
    public long[] Arrival => _arrival;

    public int Measured => Volatile.Read(ref _measured);
    public int Warmup => Volatile.Read(ref _warmup);
    public int Duplicates => Volatile.Read(ref _duplicates);
    public int Unknown => Volatile.Read(ref _unknown);
    public long Requests => Interlocked.Read(ref _requests);
    public Task AllMeasured => _allMeasured.Task;

    public static async Task<Sink> StartAsync(int changes)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.AddServerHeader = false;
        });
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var sink = new Sink(changes, app);
        app.Run(sink.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        sink.Url = new Uri(new Uri(address), "/sink");
        return sink;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var now = Stopwatch.GetTimestamp();
        var reader = context.Request.BodyReader;
        ReadResult read;
        while (true)
        {
            read = await reader.ReadAsync();
            if (read.IsCompleted)
            {
                break;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        var email = EmailOf(read.Buffer);
        reader.AdvanceTo(read.Buffer.End);
        Record(context.Request.Headers["Idempotency-Key"].ToString(), email, now);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = 11;
        await context.Response.Body.WriteAsync(Ok);
    }

    private void Record(string key, string? email, long now)
    {
        if (key.Length > 0 && !_keys.TryAdd(key, 0))
        {
            Interlocked.Increment(ref _duplicates);
            return;
        }

        if (email is not null && email.EndsWith(MeasuredDomain, StringComparison.Ordinal) && email.Length > MeasuredDomain.Length + 1
            && int.TryParse(email.AsSpan(1, email.Length - MeasuredDomain.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && index >= 0 && index < _arrival.Length)
        {
            if (email[0] == 'w')
            {
                Interlocked.Increment(ref _warmup);
                return;
            }

            if (email[0] == 'm' && Interlocked.CompareExchange(ref _arrival[index], now, 0) == 0)
            {
                if (Interlocked.Increment(ref _measured) == _arrival.Length)
                {
                    _allMeasured.TrySetResult();
                }

                return;
            }
        }

        Interlocked.Increment(ref _unknown);
    }

    /// <summary>The first <c>email</c> property anywhere in the body (bare fields or an envelope's fields).</summary>
    private static string? EmailOf(ReadOnlySequence<byte> body)
    {
        var json = new Utf8JsonReader(body);
        try
        {
            while (json.Read())
            {
                if (json.TokenType == JsonTokenType.PropertyName && json.ValueTextEquals("email"u8) && json.Read() && json.TokenType == JsonTokenType.String)
                {
                    return json.GetString();
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"sink: {Requests} requests, {Measured} measured + {Warmup} warm-up records, {Duplicates} duplicate keys, {Unknown} unrecognised");
}
