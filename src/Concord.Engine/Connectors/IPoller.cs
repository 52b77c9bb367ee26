using Concord.Engine.Storage;

namespace Concord.Engine.Connectors;

/// <summary>
/// Reads a system's changes page by page (catch-up after downtime, and systems without webhooks).
/// The hub saves the cursor of each page in the transaction that stores its changes.
/// </summary>
public interface IPoller
{
    /// <summary>The feeds it reads, each with its own cursor (e.g. <c>events</c>, or one per object type).</summary>
    IReadOnlyList<string> Streams { get; }

    /// <summary>How long to wait after a feed has nothing more.</summary>
    TimeSpan Interval { get; }

    /// <summary>
    /// The next page after <paramref name="cursor"/> (null: the first run, which starts from now or
    /// from the configured backfill). Throws on failure, like a delivery: the hub backs off and retries.
    /// </summary>
    Task<PollPage> PollAsync(string stream, string? cursor, CancellationToken cancellationToken);
}

/// <summary>A page of changes, the cursor after them, and whether another page is ready now.</summary>
public sealed record PollPage(IReadOnlyList<InboundChange> Changes, string Cursor, bool More);

/// <summary>A cheap authenticated call that proves the settings work.</summary>
public interface IVerifier
{
    Task<VerifyResult> VerifyAsync(CancellationToken cancellationToken);
}

/// <summary>The verdict of <see cref="IVerifier"/>; a failure names the setting to fix.</summary>
public sealed record VerifyResult(bool Ok, string Message, string? Setting = null)
{
    public static VerifyResult Success(string message) => new(true, message);

    public static VerifyResult Failure(string message, string? setting = null) => new(false, message, setting);
}
