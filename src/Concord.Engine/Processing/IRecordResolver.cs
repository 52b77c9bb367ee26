using Concord.Core.Configuration;
using Concord.Core.Records;
using Concord.Engine.Storage;

namespace Concord.Engine.Processing;

/// <summary>How a change found its golden record.</summary>
/// <param name="Record">The record, or null when the change names nothing to act on (a deletion of an unknown record).</param>
/// <param name="IsNew">The record was created for this change.</param>
/// <param name="How"><c>link</c>, <c>identity:&lt;field&gt;</c>, <c>new</c> or <c>none</c>.</param>
public sealed record Resolution(GoldenRecord? Record, bool IsNew, string How);

/// <summary>
/// The resolve stage: finds the golden record a change is about. The deterministic resolver
/// (links, then identity keys) is the default; probabilistic matching plugs in here.
/// </summary>
public interface IRecordResolver
{
    Resolution Resolve(IPipelineTransaction tx, Change change, EntityTypeConfig type, Func<string, GoldenRecord?> load);
}
