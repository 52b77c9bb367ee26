using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Core.Flows.Model;

namespace Concord.Engine.Flows.Steps;

/// <summary>
/// <c>wait:</c> — pauses the run durably, for a duration (<c>for: 10m</c>, the duration syntax of the
/// configuration) or until a moment (<c>until:</c> an ISO 8601 date-time; a bare date is its
/// midnight UTC, a date-time without an offset is UTC). Nothing is held in memory while the run
/// sleeps: the runner stores the wake-up time. A moment already past completes the step at once.
/// </summary>
public sealed class WaitStepHandler(TimeProvider time) : IStepHandler
{
    public IReadOnlyList<StepAction> Actions { get; } = [StepAction.Wait];

    public Task<StepOutcome> RunAsync(StepRun step, CancellationToken cancellationToken)
    {
        var hasFor = step.Args["for"] is not null;
        var hasUntil = step.Args["until"] is not null;
        if (hasFor == hasUntil)
        {
            throw StepArgs.Invalid(step, "wait", hasFor ? "takes for or until, not both" : "needs for (a duration such as 10m) or until (a date-time)");
        }

        var now = time.GetUtcNow();
        var until = hasFor ? now + StepArgs.Duration(step, "for")!.Value : Until(step);
        var output = new JsonObject { ["until"] = Format(until) };
        return Task.FromResult<StepOutcome>(until <= now ? new StepOutcome.Completed(output) : new StepOutcome.Sleep(until, output));
    }

    private static DateTimeOffset Until(StepRun step)
    {
        var node = step.Args["until"];
        if (node is JsonValue value && value.TryGetValue<DateTimeOffset>(out var moment))
        {
            return moment.ToUniversalTime();
        }

        var text = StepArgs.Text(node)?.Trim();
        if (text is not null)
        {
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            }

            if (text.Length >= 16 && text[4] == '-' && text[10] is 'T' or 't' or ' '
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                return parsed;
            }
        }

        throw StepArgs.Invalid(step, "until", $"must be an ISO 8601 date-time such as 2026-12-01T09:00:00Z, not {StepArgs.Show(node)}");
    }

    /// <summary>UTC with a <c>Z</c>, seconds always, fractions only when there are any.</summary>
    internal static string Format(DateTimeOffset moment) =>
        moment.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
