using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Flows.Model;
using Concord.Core.Privacy;
using Concord.Core.Records;
using Concord.Core.Sync;
using Concord.Engine.Storage;

namespace Concord.Engine.Flows.Records;

/// <summary>
/// The record actions: <c>find</c>, <c>find_or_create</c>, <c>create</c>, <c>update</c>, <c>upsert</c> and
/// <c>set</c>. Everything they read and write happens in the transaction that records the step as done
/// (<see cref="StepOutcome.Write"/>), so a crash cannot apply a write twice and a find-or-create
/// matched on an identity key cannot create twice. A scan of the type (a match on fields that are not
/// identity keys) is read before, outside the writer, and checked again inside it.
/// </summary>
public sealed class RecordStepHandler(SyncPlan plan, IRecordStore records, FlowTriggers? triggers, TimeProvider time) : IStepHandler
{
    private readonly GoldenWriter _writer = new(plan, triggers, time);

    public IReadOnlyList<StepAction> Actions { get; } =
        [StepAction.Find, StepAction.FindOrCreate, StepAction.Create, StepAction.Update, StepAction.Upsert, StepAction.Set];

    public async Task<StepOutcome> RunAsync(StepRun step, CancellationToken cancellationToken)
    {
        var args = RecordArgs.Read(step, plan);
        switch (step.Step.Action)
        {
            case StepAction.Find:
            {
                var candidates = await RecordFinder.CandidatesAsync(records, args.Type!, args.Where, cancellationToken);
                return new StepOutcome.Write(tx => Find(tx, args, candidates));
            }

            case StepAction.FindOrCreate or StepAction.Upsert:
            {
                var candidates = await RecordFinder.CandidatesAsync(records, args.Type!, args.Where, cancellationToken);
                return new StepOutcome.Write(tx => FindOrWrite(tx, step, args, candidates));
            }

            case StepAction.Create:
                return new StepOutcome.Write(tx => Written(tx, args, _writer.Create(tx, step, args.Type!, args.Fields), found: false, created: true, wrote: true));

            case StepAction.Update or StepAction.Set:
                return new StepOutcome.Write(tx => Update(tx, step, args));

            default:
                throw new StepFailedException($"the record handler does not run {step.Step.Action}", retryable: false);
        }
    }

    private static JsonObject Find(IPipelineTransaction tx, RecordArgs args, IReadOnlyList<string>? candidates)
    {
        if (RecordFinder.Find(tx, args.Type!, args.Where, args.In, candidates) is { } record)
        {
            return RecordOutput.Of(tx, record, found: true, created: false, args.In);
        }

        if (args.Required)
        {
            // The error is shown wherever the run is (the history, the API, alerts): personal values are masked in it, as in the log.
            var where = string.Join(", ", args.Where.Select(w =>
                $"{w.Key} = {PiiMask.Mask(args.Type!.Schema.TryGetField(w.Key, out var field) ? field : null, w.Value)?.ToJsonString() ?? "null"}"));
            throw new StepFailedException($"no {args.Type!.Name} where {where}{(args.In is null ? "" : $" linked in {args.In}")} (required: true)", retryable: false);
        }

        return RecordOutput.NotFound(args.Type!.Name);
    }

    private JsonObject FindOrWrite(IPipelineTransaction tx, StepRun step, RecordArgs args, IReadOnlyList<string>? candidates)
    {
        var type = args.Type!;
        if (RecordFinder.Find(tx, type, args.Where, inSystem: null, candidates) is not { } found)
        {
            return Written(tx, args, _writer.Create(tx, step, type, args.Fields), found: false, created: true, wrote: true);
        }

        // find_or_create leaves what it found as it is; upsert brings it up to date.
        var wrote = step.Step.Action == StepAction.Upsert && _writer.Update(tx, step, type, found, args.Fields);
        return Written(tx, args, found, found: true, created: false, wrote);
    }

    private JsonObject Update(IPipelineTransaction tx, StepRun step, RecordArgs args)
    {
        var record = tx.LoadRecord(args.RecordId!);
        if (record is null || (args.Type is not null && record.Type != args.Type.Name))
        {
            throw new StepFailedException($"record: no {args.Type?.Name ?? "golden"} record with id '{args.RecordId}'", retryable: false);
        }

        if (record.Deleted)
        {
            throw new StepFailedException($"record: {record.Type} {record.Id} is deleted", retryable: false);
        }

        var type = args.Type ?? plan.Config.Entities.GetValueOrDefault(record.Type)
            ?? throw new StepFailedException($"record: {record.Id} is a {record.Type}, a type that is no longer configured", retryable: false);
        var fields = args.Type is null ? Recheck(step, type) : args.Fields;
        var wrote = _writer.Update(tx, step, type, record, fields);
        return Written(tx, args, record, found: true, created: false, wrote);
    }

    /// <summary>Without <c>type</c>, the fields could only be checked once the record's type was known.</summary>
    private IReadOnlyDictionary<string, JsonNode?> Recheck(StepRun step, EntityTypeConfig type) =>
        RecordArgs.Read(step with { Args = WithType(step.Args, type.Name) }, plan).Fields;

    private static JsonObject WithType(JsonObject args, string type)
    {
        var copy = (JsonObject)args.DeepClone();
        copy["type"] = type;
        return copy;
    }

    /// <summary>The step's output; with <c>in</c> and <c>await</c>, marked to wait for the version's delivery when one was owed.</summary>
    private static JsonObject Written(IPipelineTransaction tx, RecordArgs args, GoldenRecord record, bool found, bool created, bool wrote)
    {
        var output = RecordOutput.Of(tx, record, found, created, args.In);
        if (wrote && args.Await && args.In is { } system && tx.FindDelivery(system, record.Id, record.Version) is { } delivery && delivery.Status != DeliveryStatus.Succeeded)
        {
            DeliveryAwait.Mark(output, new AwaitTarget(system, record.Type, record.Id, record.Version));
        }

        return output;
    }
}
