using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Connectors.Webhook;
using Concord.Engine.Storage;
using Concord.Server;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Concord.Testing;

/// <summary>A whole hub on a loopback port, with an API key and an HTTP client, for acceptance tests.</summary>
public sealed class HubHarness : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();

    private HubHarness()
    {
    }

    public RunningHub Hub { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public string Url => Hub.Url;

    public IHubStore Store => Hub.Store;

    /// <summary>The configuration file the hub was started from, when started with <c>configFile: true</c>; null otherwise.</summary>
    public string? ConfigPath { get; private set; }

    /// <summary>
    /// Starts a hub with <paramref name="yaml"/>; with <paramref name="configFile"/> the text is written to <c>concord.yaml</c>
    /// in the hub's folder and the hub is told it came from there, as <c>concord run</c> does.
    /// </summary>
    public static async Task<HubHarness> StartAsync(string yaml, IReadOnlyDictionary<string, string>? secrets = null, bool configFile = false)
    {
        var harness = new HubHarness();
        secrets ??= TestConfigs.Secrets;
        var config = TestConfigs.Load(yaml, secrets.GetValueOrDefault);
        if (configFile)
        {
            harness.ConfigPath = harness._dir.File("concord.yaml");
            await File.WriteAllTextAsync(harness.ConfigPath, yaml);
        }

        harness.Hub = await HubServer.StartAsync(new HubServerOptions
        {
            Config = config,
            ConfigPath = harness.ConfigPath,
            BaseDirectory = harness._dir.Path,
            Listen = "http://127.0.0.1:0",
            Environment = secrets.GetValueOrDefault,
            LogLevel = LogLevel.Warning,
        });
        var (_, key) = await harness.Hub.ApiKeys.CreateAsync("tests", default);
        harness.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return harness;
    }

    public Task<HttpResponseMessage> PostChangesAsync(string system, string json) =>
        Http.PostAsync($"{Url}/api/v1/changes/{system}", new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Posts a webhook signed with <paramref name="secret"/> at <paramref name="at"/> (default now); null secret sends no signature.</summary>
    public async Task<HttpResponseMessage> PostWebhookAsync(string system, string json, string? secret, DateTimeOffset? at = null)
    {
        var body = Encoding.UTF8.GetBytes(json);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Url}/hooks/{system}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (secret is not null)
        {
            var ts = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
            request.Headers.Add(WebhookSignature.TimestampHeader, ts.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, ts, body));
        }

        return await Http.SendAsync(request);
    }

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(Url + path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Nothing is waiting: the inbox is processed and no delivery is pending or retrying.</summary>
    public async Task<bool> IsQuietAsync()
    {
        var h = await Store.GetHealthAsync(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), default);
        return h.InboxBacklog == 0 && h.DeliveriesPending == 0 && h.DeliveriesRetrying == 0;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        Http.Dispose();
        _dir.Dispose();
    }
}
