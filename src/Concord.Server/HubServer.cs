using System.Net;
using System.Text.Json;
using Concord.Connectors;
using Concord.Core.Configuration;
using Concord.Engine.Hosting;
using Concord.Server.Api;
using Concord.Server.Auth;
using Concord.Server.Dashboard;
using Concord.Server.Metrics;
using Concord.Storage.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Concord.Server;

/// <summary>A started hub: its address, its pipeline and its store. Dispose to stop it.</summary>
public sealed class RunningHub(WebApplication app, HubRuntime runtime, SqliteHubStore store, HttpClient http, string url) : IAsyncDisposable
{
    public string Url { get; } = url;

    public HubRuntime Runtime { get; } = runtime;

    public SqliteHubStore Store { get; } = store;

    public ApiKeys ApiKeys { get; } = app.Services.GetRequiredService<ApiKeys>();

    public IServiceProvider Services => app.Services;

    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.WaitForShutdownAsync(app, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await Runtime.DisposeAsync();
        await app.DisposeAsync();
        await Store.DisposeAsync();
        http.Dispose();
    }
}

/// <summary>Builds and starts the hub: store, pipeline, and the HTTP server with its API.</summary>
public static class HubServer
{
    public static async Task<RunningHub> StartAsync(HubServerOptions options, CancellationToken cancellationToken = default)
    {
        var config = options.Config;
        var dataPath = options.DataPath ?? (Path.IsPathRooted(config.Hub.Data) ? config.Hub.Data : Path.Combine(options.BaseDirectory, config.Hub.Data));
        var store = new SqliteHubStore(dataPath, options.Durable, options.Time);
        await store.InitializeAsync(cancellationToken);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.SetMinimumLevel(options.LogLevel);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        builder.Logging.QuietKeyWarning();
        builder.WebHost.UseUrls(options.Listen ?? config.Hub.Listen);
        builder.WebHost.ConfigureKestrel(k =>
        {
            // The API enforces hub.max_body itself, with a message that says what to do.
            k.Limits.MaxRequestBodySize = null;
            k.AddServerHeader = false;
        });
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never;
        });
        builder.Services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Concord hub API";
            doc.Info.Description = "Changes in, golden records, deliveries, the transaction log and health. Authenticate with `Authorization: Bearer <api key>`.";
            return Task.CompletedTask;
        }));

        var http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 256,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        })
        { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("Concord/1.0");

        var loggers = LoggerFactory.Create(l =>
        {
            l.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
            l.SetMinimumLevel(options.LogLevel);
        });
        var runtime = new HubRuntime(config, store, new ConnectorCatalog(), http, options.Time, loggers, credentialKey: CredentialKey.Load(dataPath, options.Environment), environment: options.Environment);
        builder.Services.AddSingleton(runtime);
        builder.Services.AddSingleton(options.Time);
        builder.Services.AddSingleton<Engine.Storage.IApiKeyStore>(store);
        builder.Services.AddSingleton<ApiKeys>();
        builder.Services.AddSingleton<Engine.Storage.IUserStore>(store);
        builder.Services.AddSingleton(new ConfigSource(options.ConfigPath is { } file ? Path.GetFullPath(file) : null, options.Environment ?? Environment.GetEnvironmentVariable));
        builder.Services.AddDashboard(dataPath);

        var app = builder.Build();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseDashboardRefusals();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapGet("/healthz", () => Results.Text("ok")).ExcludeFromDescription();
        app.MapHooks();
        app.MapFlowHooks();
        app.MapIntegrationMap();
        var api = app.MapGroup("/api/v1");
        api.MapChanges();
        api.MapRecords();
        api.MapDeliveries();
        api.MapLog();
        api.MapHealth();
        api.MapFindings();
        api.MapSubscriptions();
        api.MapReview();
        api.MapMerges();
        api.MapOverrides();
        api.MapFlows();
        api.MapVerify();
        api.MapIncidents();
        api.MapSchemas();
        api.MapDataHealth();
        app.MapMetrics();
        app.MapDashboard();

        runtime.Start();
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningHub(app, runtime, store, http, address.TrimEnd('/'));
    }

    /// <summary>Loads and validates a configuration file; the problems come back with the model.</summary>
    public static (HubConfig Config, IReadOnlyList<ConfigProblem> Problems) LoadConfig(string path, Func<string, string?>? environment = null) =>
        CheckConfig(ConfigLoader.LoadFile(path), environment);

    /// <summary>Loads and validates the text of a configuration file named <paramref name="file"/> in messages.</summary>
    public static (HubConfig Config, IReadOnlyList<ConfigProblem> Problems) LoadConfigText(string yaml, string file, Func<string, string?>? environment = null) =>
        CheckConfig(ConfigLoader.Load(yaml, file), environment);

    private static (HubConfig Config, IReadOnlyList<ConfigProblem> Problems) CheckConfig(ConfigLoadResult loaded, Func<string, string?>? environment)
    {
        var problems = loaded.Problems.ToList();
        if (!loaded.HasErrors)
        {
            problems.AddRange(new ConfigValidator(new ConnectorCatalog()).Validate(loaded.Config, environment ?? Environment.GetEnvironmentVariable));
        }

        return (loaded.Config, problems);
    }
}
