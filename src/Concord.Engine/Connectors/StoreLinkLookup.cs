using Concord.Engine.Storage;

namespace Concord.Engine.Connectors;

/// <summary>Link lookups over the record store.</summary>
public sealed class StoreLinkLookup(IRecordStore store) : ILinkLookup
{
    public async Task<string?> ExternalIdAsync(string system, string recordId, CancellationToken cancellationToken)
    {
        var links = await store.GetLinksAsync(recordId, cancellationToken);
        return links.LastOrDefault(l => l.System == system)?.ExternalId;
    }
}
