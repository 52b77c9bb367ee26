using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Concord.Sandboxes.Slack;

/// <summary>
/// A Slack workspace on loopback: the Web API methods the connector calls under <c>/api</c>
/// (<c>chat.postMessage</c>, <c>auth.test</c>, <c>conversations.info</c>; Bearer token; errors as
/// HTTP 200 <c>{"ok":false,"error":…}</c>) and incoming webhooks under <c>/services/…</c> (plain
/// <c>ok</c>, plain-text error codes). Messages are kept per channel for tests to read.
/// <para>
/// One liberty: real Slack does not deduplicate posts. This sandbox keeps one message per
/// delivery key found in <c>metadata</c> (and counts every accepted post in <see cref="Posts"/>),
/// so a test can show that a retried delivery carries the same key.
/// </para>
/// </summary>
public sealed class SlackSandbox : VendorSandbox
{
    private readonly ConcurrentDictionary<string, SlackChannel> _channels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _hooks = new(StringComparer.Ordinal);
    private readonly List<SlackMessage> _messages = [];
    private readonly object _gate = new();
    private long _sequence;
    private int _serverErrors;
    private int _lostAnswers;
    private int _posts;

    /// <summary>A workspace with the channel <see cref="GeneralId"/> (#general, the bot a member) and the webhook <see cref="DefaultHookPath"/> into it.</summary>
    public SlackSandbox(string name = "slack", string botToken = "xoxb-sandbox-token")
        : base(name)
    {
        BotToken = botToken;
        AddChannel(new SlackChannel(GeneralId, "general"));
        AddWebhook(DefaultHookPath, GeneralId);
    }

    public const string GeneralId = "C0GENERAL1";

    public const string DefaultHookPath = "/services/T000/B000/XXXX";

    /// <summary>The only token the Web API accepts.</summary>
    public string BotToken { get; }

    /// <summary>The connector's <c>base_url</c>: the Web API root.</summary>
    public string ApiUrl => Url + "/api";

    /// <summary>The full URL of the default incoming webhook.</summary>
    public string WebhookUrl => Url + DefaultHookPath;

    /// <summary>Posts Slack accepted, including repeats of one delivery key.</summary>
    public int Posts => Volatile.Read(ref _posts);

    public void AddChannel(SlackChannel channel) => _channels[channel.Id] = channel;

    /// <summary>An incoming webhook at <paramref name="path"/> (<c>/services/T…/B…/…</c>) posting into a channel.</summary>
    public void AddWebhook(string path, string channelId) => _hooks[path] = channelId;

    /// <summary>The next <paramref name="count"/> posts (API or webhook) fail with Slack's 500, and post nothing.</summary>
    public void FailPosts(int count) => Interlocked.Exchange(ref _serverErrors, count);

    /// <summary>The next <paramref name="count"/> posts are made but answered 500, as when an answer is lost.</summary>
    public void LoseAnswers(int count) => Interlocked.Exchange(ref _lostAnswers, count);

    /// <summary>Every message, oldest first.</summary>
    public IReadOnlyList<SlackMessage> AllMessages
    {
        get
        {
            lock (_gate)
            {
                return _messages.ToArray();
            }
        }
    }

    /// <summary>The messages in one channel (by id), oldest first.</summary>
    public IReadOnlyList<SlackMessage> Messages(string channelId = GeneralId) => AllMessages.Where(m => m.Channel == channelId).ToArray();

    protected override void MapRoutes(WebApplication app)
    {
        app.MapPost("/api/chat.postMessage", Handler(PostMessageAsync));
        app.MapMethods("/api/auth.test", ["GET", "POST"], Handler(AuthTestAsync));
        app.MapMethods("/api/conversations.info", ["GET", "POST"], Handler(ConversationInfoAsync));
        app.MapPost("/services/{team}/{bot}/{secret}", Handler(IncomingWebhookAsync));
    }

    /// <summary>A handler whose result is written (a bare method group would bind as a RequestDelegate and drop it).</summary>
    private static Delegate Handler(Func<HttpContext, Task<IResult>> handler) => handler;

    protected override IResult Throttled(HttpContext context, TimeSpan retryAfter) =>
        IsHook(context) ? Results.Text("rate_limited", statusCode: 429) : Results.Json(new { ok = false, error = "ratelimited" }, statusCode: 429);

    protected override IResult Unavailable(HttpContext context) =>
        IsHook(context) ? Results.Text("service_unavailable", statusCode: 503) : Results.Json(new { ok = false, error = "service_unavailable" }, statusCode: 503);

    private static bool IsHook(HttpContext context) => context.Request.Path.StartsWithSegments("/services");

    private async Task<IResult> PostMessageAsync(HttpContext context)
    {
        var args = await ArgumentsAsync(context);
        if (Authenticate(context, args) is { } denied)
        {
            return denied;
        }

        if (!args.TryGetValue("channel", out var channelRef) || channelRef.Length == 0)
        {
            return Error("channel_not_found");
        }

        if (FindChannel(channelRef) is not { } channel)
        {
            return Error("channel_not_found");
        }

        if (channel.IsArchived)
        {
            return Error("is_archived");
        }

        if (!channel.IsMember)
        {
            return Error("not_in_channel");
        }

        var text = args.GetValueOrDefault("text");
        if (string.IsNullOrEmpty(text))
        {
            return Error("no_text");
        }

        if (TakeFault(ref _serverErrors))
        {
            return Results.Json(new { ok = false, error = "internal_error" }, statusCode: 500);
        }

        string? key;
        try
        {
            key = DeliveryKey(args.GetValueOrDefault("metadata"));
        }
        catch (JsonException)
        {
            return Error("invalid_metadata_format");
        }

        var message = Post(channel.Id, text, key, "chat.postMessage");
        if (TakeFault(ref _lostAnswers))
        {
            return Results.Json(new { ok = false, error = "internal_error" }, statusCode: 500);
        }

        return Results.Json(new
        {
            ok = true,
            channel = message.Channel,
            ts = message.Ts,
            message = new { type = "message", text = message.Text, user = "U0SANDBOT1", bot_id = "B0SANDBOT1", ts = message.Ts },
        });
    }

    private async Task<IResult> AuthTestAsync(HttpContext context)
    {
        var args = await ArgumentsAsync(context);
        return Authenticate(context, args) ?? Results.Json(new
        {
            ok = true,
            url = "https://concord-sandbox.slack.com/",
            team = "Concord Sandbox",
            user = "concord",
            team_id = "T000",
            user_id = "U0SANDBOT1",
            bot_id = "B0SANDBOT1",
            is_enterprise_install = false,
        });
    }

    private async Task<IResult> ConversationInfoAsync(HttpContext context)
    {
        var args = await ArgumentsAsync(context);
        if (Authenticate(context, args) is { } denied)
        {
            return denied;
        }

        // conversations.info takes ids only, as Slack's does.
        if (!_channels.TryGetValue(args.GetValueOrDefault("channel") ?? "", out var channel))
        {
            return Error("channel_not_found");
        }

        return Results.Json(new
        {
            ok = true,
            channel = new { id = channel.Id, name = channel.Name, is_channel = true, is_archived = channel.IsArchived, is_member = channel.IsMember, created = 1_700_000_000 },
        });
    }

    private async Task<IResult> IncomingWebhookAsync(HttpContext context)
    {
        if (!_hooks.TryGetValue(context.Request.Path.Value ?? "", out var channelId) || !_channels.TryGetValue(channelId, out var channel))
        {
            return Results.Text("no_service", statusCode: 404);
        }

        if (channel.IsArchived)
        {
            return Results.Text("channel_is_archived", statusCode: 410);
        }

        string? text;
        try
        {
            var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            text = body?["text"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null;
        }
        catch (JsonException)
        {
            return Results.Text("invalid_payload", statusCode: 400);
        }

        if (string.IsNullOrEmpty(text))
        {
            return Results.Text("no_text", statusCode: 400);
        }

        if (TakeFault(ref _serverErrors))
        {
            return Results.Text("internal_error", statusCode: 500);
        }

        Post(channel.Id, text, key: null, "webhook");
        return TakeFault(ref _lostAnswers) ? Results.Text("internal_error", statusCode: 500) : Results.Text("ok");
    }

    private SlackMessage Post(string channel, string text, string? key, string via)
    {
        Interlocked.Increment(ref _posts);
        lock (_gate)
        {
            if (key is not null && _messages.FirstOrDefault(m => m.DeliveryKey == key) is { } earlier)
            {
                return earlier;
            }

            var n = ++_sequence;
            var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "." + n.ToString("D6", CultureInfo.InvariantCulture);
            var message = new SlackMessage(channel, text, ts, key, via);
            _messages.Add(message);
            return message;
        }
    }

    /// <summary>Slack's answers to a missing or wrong token.</summary>
    private IResult? Authenticate(HttpContext context, Dictionary<string, string> args)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : args.GetValueOrDefault("token");
        if (string.IsNullOrEmpty(token))
        {
            return Error("not_authed");
        }

        return token == BotToken ? null : Error("invalid_auth");
    }

    private SlackChannel? FindChannel(string reference)
    {
        if (_channels.TryGetValue(reference, out var byId))
        {
            return byId;
        }

        var name = reference.TrimStart('#');
        return _channels.Values.FirstOrDefault(c => c.Name == name);
    }

    /// <summary>Slack's usual failure: HTTP 200 with ok:false.</summary>
    private static IResult Error(string error) => Results.Json(new { ok = false, error });

    /// <summary>Web API arguments from the query, a form body or a JSON body, as Slack reads them.</summary>
    private static async Task<Dictionary<string, string>> ArgumentsAsync(HttpContext context)
    {
        var args = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            foreach (var (k, v) in form)
            {
                args[k] = v.ToString();
            }
        }
        else if (context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            if (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) is JsonObject json)
            {
                foreach (var (k, v) in json)
                {
                    args[k] = v is JsonValue value && value.TryGetValue<string>(out var s) ? s : v?.ToJsonString() ?? "";
                }
            }
        }

        return args;
    }

    private static string? DeliveryKey(string? metadata)
    {
        if (string.IsNullOrEmpty(metadata))
        {
            return null;
        }

        var node = JsonNode.Parse(metadata);
        return node?["event_type"]?.GetValue<string>() == "concord_delivery" && node["event_payload"]?["idempotency_key"] is JsonValue k && k.TryGetValue<string>(out var key)
            ? key
            : null;
    }

    private static bool TakeFault(ref int counter)
    {
        while (true)
        {
            var left = Volatile.Read(ref counter);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref counter, left - 1, left) == left)
            {
                return true;
            }
        }
    }
}
