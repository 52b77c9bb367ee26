namespace Concord.Core.Configuration;

/// <summary>One configured tool: a connector kind, its settings and secrets, and delivery policy.</summary>
public sealed class SystemConfig
{
    public required string Name { get; init; }

    /// <summary>The connector kind, e.g. <c>http</c>, <c>webhook</c>.</summary>
    public required string Kind { get; init; }

    public SourceSpan At { get; init; }

    public SourceSpan KindAt { get; init; }

    /// <summary>Plain settings (URLs, header names, modes) as written.</summary>
    public Dictionary<string, SettingValue> Settings { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Secrets by setting name, each a reference to an environment variable.</summary>
    public Dictionary<string, SecretRef> Secrets { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Inbound payload mapping for systems that send raw JSON (the generic webhook).</summary>
    public InboundMapping? Mapping { get; init; }

    /// <summary>Overrides of the connector's canonical ↔ vendor field mapping, by entity type.</summary>
    public Dictionary<string, List<FieldOverride>> FieldOverrides { get; init; } = new(StringComparer.Ordinal);

    public RetryPolicy Retry { get; init; } = new();

    public RateLimitPolicy RateLimit { get; init; } = new();

    public CircuitBreakerPolicy CircuitBreaker { get; init; } = new();

    /// <summary>The stack layer written as <c>layer:</c>; null means the connector kind's default.</summary>
    public StackLayer? Layer { get; set; }

    /// <summary>The monthly cost written as <c>cost:</c>, for the audit's spend.</summary>
    public ToolCost? Cost { get; set; }

    /// <summary>
    /// The day the system's credential (an API key, a token) stops working, as written in
    /// <c>credential_expires:</c>; the <c>credential_expiry</c> alert warns before it. Null when not written.
    /// </summary>
    public DateOnly? CredentialExpires { get; set; }

    /// <summary>The written layer, or the one the connector kind implies.</summary>
    public StackLayer EffectiveLayer => Layer ?? StackLayers.ForKind(Kind);

    public string? GetSetting(string name) => Settings.TryGetValue(name, out var v) ? v.Text : null;
}

/// <summary>A plain setting and where it was written.</summary>
public sealed record SettingValue(string Text, SourceSpan At);

/// <summary>
/// Retry policy for deliveries to one system. Exponential backoff with full jitter:
/// attempt n waits a random time in [0, min(MaxDelay, InitialDelay * 2^(n-1))].
/// </summary>
public sealed class RetryPolicy
{
    /// <summary>Attempts before a delivery is dead-lettered. Default 10.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Base of the exponential backoff. Default 1 s.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of one backoff. Default 5 minutes.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Time allowed for one attempt. Default 10 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Token-bucket pacing of calls to one system.</summary>
public sealed class RateLimitPolicy
{
    /// <summary>Sustained calls per second. Default 0: unlimited.</summary>
    public double PerSecond { get; set; }

    /// <summary>Calls allowed in a burst. Default: one second's worth, at least 1.</summary>
    public int Burst { get; set; }

    /// <summary>Calls in flight at once. Default 32.</summary>
    public int Concurrency { get; set; } = 32;

    /// <summary>Written in <c>concord.yaml</c>; otherwise the connector's declared vendor limits apply.</summary>
    public bool Configured { get; set; }
}

/// <summary>Stops calling a system that keeps failing, then probes it.</summary>
public sealed class CircuitBreakerPolicy
{
    /// <summary>Consecutive failed attempts that open the circuit. Default 5.</summary>
    public int FailureThreshold { get; set; } = 5;

    /// <summary>How long the circuit stays open before one probe. Default 30 s.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
