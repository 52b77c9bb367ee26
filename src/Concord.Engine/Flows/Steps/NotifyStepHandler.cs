using System.Text.Json.Nodes;
using Concord.Core.Flows.Model;
using Concord.Engine.Connectors;

namespace Concord.Engine.Flows.Steps;

/// <summary>
/// <c>notify:</c> — hands the step's arguments (all but <c>via</c>) to the notifier of the system
/// <c>via</c> names. The notifier says what its kind reads (Slack <c>channel</c>/<c>text</c>, email
/// <c>to</c>/<c>subject</c>/<c>text</c>, a webhook <c>body</c> or <c>text</c>) and whether a
/// failure is worth retrying; the run's retries do the rest. The step's idempotency key goes with
/// the message, so a retried notification is recognisable where the system keeps one.
/// </summary>
/// <param name="notifiers">Every configured system that can notify, by system name.</param>
public sealed class NotifyStepHandler(IReadOnlyDictionary<string, INotifier> notifiers) : IStepHandler
{
    public IReadOnlyList<StepAction> Actions { get; } = [StepAction.Notify];

    public async Task<StepOutcome> RunAsync(StepRun step, CancellationToken cancellationToken)
    {
        var via = StepArgs.RequiredText(step, "via");
        if (!notifiers.TryGetValue(via, out var notifier))
        {
            var known = notifiers.Keys.Order(StringComparer.Ordinal).ToList();
            throw StepArgs.Invalid(step, "via", $"names '{via}', which is not a system that can notify" +
                (known.Count > 0 ? $" (these can: {string.Join(", ", known)})" : " (no configured system can)"));
        }

        var args = StepArgs.Without(step.Args, "via");
        if (step.DryRun)
        {
            return new StepOutcome.Completed(new JsonObject { ["dry_run"] = true, ["via"] = via, ["would_send"] = args });
        }

        NotifyResult result;
        try
        {
            result = await notifier.NotifyAsync(new Notification(args, step.IdempotencyKey, step.Run.Id), cancellationToken);
        }
        catch (DeliveryFailedException failed)
        {
            throw new StepFailedException(failed.Message, failed.Retryable, failed.RetryAfter,
                new JsonObject { ["status"] = failed.StatusCode, ["response"] = ResponseBody.FromText(failed.Body) });
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StepFailedException($"{via} did not answer in time", retryable: true);
        }
        catch (HttpRequestException unreachable)
        {
            throw new StepFailedException($"could not reach {via}: {unreachable.Message}", retryable: true);
        }

        var output = new JsonObject
        {
            ["status"] = result.StatusCode,
            ["request"] = ResponseBody.FromText(result.Request),
            ["response"] = ResponseBody.FromText(result.Response),
        };
        if (result.ExternalId is not null)
        {
            output["external_id"] = result.ExternalId;
        }

        return new StepOutcome.Completed(output);
    }
}
