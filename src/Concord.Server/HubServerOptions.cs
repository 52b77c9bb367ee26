using Concord.Core.Configuration;
using Microsoft.Extensions.Logging;

namespace Concord.Server;

/// <summary>How to start a hub.</summary>
public sealed class HubServerOptions
{
    /// <summary>The validated configuration.</summary>
    public required HubConfig Config { get; init; }

    /// <summary>
    /// The file <see cref="Config"/> was read from, so the dashboard can show it and validate it as it stands now; null
    /// when the configuration was built in memory.
    /// </summary>
    public string? ConfigPath { get; init; }

    /// <summary>The folder relative paths in the configuration are resolved from. Default: the current directory.</summary>
    public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Overrides <c>hub.listen</c>, e.g. <c>http://127.0.0.1:0</c> for a free port in tests.</summary>
    public string? Listen { get; init; }

    /// <summary>Overrides <c>hub.data</c>.</summary>
    public string? DataPath { get; init; }

    /// <summary>Default: the system clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where secrets are read from. Default: the process environment.</summary>
    public Func<string, string?>? Environment { get; init; }

    /// <summary>Default: Information for Concord, Warning for the framework.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>Sync every commit to disk (default). False trades power-loss durability for speed.</summary>
    public bool Durable { get; init; } = true;
}
