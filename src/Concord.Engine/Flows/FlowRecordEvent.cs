using Concord.Core.Records;
using Concord.Engine.Storage;

namespace Concord.Engine.Flows;

/// <summary>
/// A new version of a golden record, as flow triggers see it.
/// </summary>
/// <param name="Record">The record as it is after the change.</param>
/// <param name="Kind"><c>created</c>, <c>updated</c>, <c>restored</c> or <c>deleted</c>.</param>
/// <param name="Changed">The golden fields that changed, with old and new values.</param>
/// <param name="Source">Who made the change: a system, <c>steward</c>, <c>hub</c> (a merge) or <c>flow:&lt;name&gt;</c>.</param>
/// <param name="ChangeId">The change's correlation id (for a flow's write, the run's id).</param>
/// <param name="Cause">The run whose write this is, when a flow wrote it.</param>
public sealed record FlowRecordEvent(GoldenRecord Record, string Kind, IReadOnlyList<FieldChange> Changed, string Source, string ChangeId, FlowRun? Cause = null)
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Restored = "restored";
    public const string Deleted = "deleted";
}
