using System.Collections.Concurrent;
using Concord.Core.Flows.Model;
using Concord.Engine.Flows;

namespace Concord.Engine.Tests.Flows;

/// <summary>A step handler whose answers a test scripts (by call number), recording every call in order.</summary>
internal sealed class ScriptedStep(StepAction action, Func<StepRun, int, CancellationToken, Task<StepOutcome>> answer) : IStepHandler
{
    private int _calls;

    public ConcurrentQueue<StepRun> Calls { get; } = new();

    public int CallCount => Volatile.Read(ref _calls);

    public IReadOnlyList<StepAction> Actions => [action];

    public Task<StepOutcome> RunAsync(StepRun step, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _calls);
        Calls.Enqueue(step);
        return answer(step, n, cancellationToken);
    }

    public static Task<StepOutcome> Done(object? output = null) =>
        Task.FromResult<StepOutcome>(new StepOutcome.Completed(System.Text.Json.JsonSerializer.SerializeToNode(output ?? new { ok = true })));
}
