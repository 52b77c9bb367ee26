using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Concord.Core.Flows.Text;
using Concord.Core.Records;
using Concord.Engine.Storage;

namespace Concord.Engine.Flows.Steps;

/// <summary>
/// The customer directory read from the hub's golden records: each live record of the type, named
/// by its <c>name</c> (else its company, domain or email), with its company and domains as aliases
/// and its email as an address the text may use. Read once per type and kept for
/// <see cref="DefaultFreshness"/>, so a burst of drafts does not read every customer each time; a
/// customer created a moment ago may be missed for that long.
/// </summary>
public sealed class StoreCustomerDirectory(IRecordStore store, TimeProvider time, TimeSpan? freshness = null) : ICustomerDirectory
{
    public static readonly TimeSpan DefaultFreshness = TimeSpan.FromSeconds(30);

    private static readonly string[] AliasFields = ["company", "company_domain", "domain"];
    private static readonly string[] EmailFields = ["email"];

    private readonly TimeSpan _freshness = freshness ?? DefaultFreshness;
    private readonly ConcurrentDictionary<string, (DateTimeOffset ReadAt, Task<IReadOnlyList<DirectoryCustomer>> Customers)> _cache = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<DirectoryCustomer>> CustomersAsync(string type, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(type, out var cached) && now - cached.ReadAt < _freshness && !cached.Customers.IsFaulted && !cached.Customers.IsCanceled)
        {
            return await cached.Customers.WaitAsync(cancellationToken);
        }

        // Concurrent callers may each read once when the entry is stale; the last read wins. A failed
        // read is never served from the cache.
        var read = ReadAsync(type, cancellationToken);
        _cache[type] = (now, read);
        return await read;
    }

    private async Task<IReadOnlyList<DirectoryCustomer>> ReadAsync(string type, CancellationToken cancellationToken)
    {
        var customers = new List<DirectoryCustomer>();
        await foreach (var record in store.ReadRecordsAsync(type, cancellationToken))
        {
            if (From(record) is { } customer)
            {
                customers.Add(customer);
            }
        }

        return customers;
    }

    /// <summary>The record as the parser sees it, or null when it has nothing to be named by.</summary>
    internal static DirectoryCustomer? From(GoldenRecord record)
    {
        var aliases = AliasFields.Select(f => Text(record, f)).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var emails = EmailFields.Select(f => Text(record, f)).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var name = Text(record, "name") ?? aliases.FirstOrDefault() ?? emails.FirstOrDefault();
        return name is null ? null : new DirectoryCustomer(record.Id, name, aliases.Where(a => !a.Equals(name, StringComparison.OrdinalIgnoreCase)).ToList(), emails);
    }

    private static string? Text(GoldenRecord record, string field) =>
        record.BestValueOf(field) is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;
}
