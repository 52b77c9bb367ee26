using System.Collections.Concurrent;
using Concord.Engine.Connectors;

namespace Concord.Testing;

/// <summary>Links for connector tests: hub record id → the system's id, as the hub's links would answer.</summary>
public sealed class MemoryLinks : ILinkLookup
{
    public ConcurrentDictionary<string, string> Ids { get; } = new(StringComparer.Ordinal);

    /// <summary>Links that know these records (hub id → the system's id).</summary>
    public static MemoryLinks Of(IEnumerable<KeyValuePair<string, string>> ids)
    {
        var links = new MemoryLinks();
        foreach (var (recordId, externalId) in ids)
        {
            links.Ids[recordId] = externalId;
        }

        return links;
    }

    public Task<string?> ExternalIdAsync(string system, string recordId, CancellationToken cancellationToken) =>
        Task.FromResult(Ids.TryGetValue(recordId, out var id) ? id : null);
}

/// <summary>A credential store in memory, keyed <c>system/key</c>, for connector tests.</summary>
public sealed class MemoryCredentials : ICredentialStore
{
    public ConcurrentDictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    public Task<string?> GetAsync(string system, string key, CancellationToken cancellationToken) =>
        Task.FromResult(Values.TryGetValue(system + "/" + key, out var v) ? v : null);

    public Task SetAsync(string system, string key, string value, CancellationToken cancellationToken)
    {
        Values[system + "/" + key] = value;
        return Task.CompletedTask;
    }
}
