using System.Text.Json.Nodes;
using Concord.Core.Flows.Model;

namespace Concord.Engine.Flows.Steps;

/// <summary>
/// <c>http:</c> — one request to any URL. Every method but GET carries the step's
/// <c>Idempotency-Key</c>, the same on every attempt, so a receiver that honours it applies a
/// retried request once. Timeouts, connection failures, 408, 429 and 5xx are worth retrying (after
/// the <c>Retry-After</c> the answer gives); any other status the step does not expect fails it for
/// good, since sending the same request again would get the same answer.
/// </summary>
/// <param name="http">Sends the request. Its own timeout should be longer than any step's (the step sets its own).</param>
/// <param name="time">The clock a <c>Retry-After</c> date is read against, and the step's timeout runs on.</param>
public sealed class HttpStepHandler(HttpClient http, TimeProvider time) : IStepHandler
{
    /// <summary>Response headers kept in the output: the ones a later step or a person reading the history needs.</summary>
    private static readonly string[] KeptHeaders = ["content-type", "location", "etag", "last-modified", "retry-after", "request-id", "x-request-id"];

    public IReadOnlyList<StepAction> Actions { get; } = [StepAction.Http];

    public async Task<StepOutcome> RunAsync(StepRun step, CancellationToken cancellationToken)
    {
        var request = HttpStepRequest.Read(step);
        if (step.DryRun)
        {
            return new StepOutcome.Completed(new JsonObject { ["dry_run"] = true, ["would_send"] = request.ToJson(step.IdempotencyKey) });
        }

        using var timeout = new CancellationTokenSource(request.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var message = request.ToMessage(step.IdempotencyKey);
        var what = $"{request.Method} {request.Where}";
        try
        {
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var status = (int)response.StatusCode;
            var (body, truncated) = await ResponseBody.ReadAsync(response, linked.Token);
            var output = new JsonObject
            {
                ["status"] = status,
                ["headers"] = KeptHeadersOf(response),
                ["body"] = body,
                ["request"] = new JsonObject { ["method"] = request.Method.Method, ["url"] = request.Url.AbsoluteUri },
                ["response"] = body?.DeepClone(),
            };
            if (truncated)
            {
                output["truncated"] = true;
            }

            if (request.Expected(status))
            {
                return new StepOutcome.Completed(output);
            }

            var retryable = status is 408 or 429 || status >= 500;
            throw new StepFailedException($"{what} answered {status} {response.ReasonPhrase} (expected {request.Expectation})", retryable,
                retryable ? RetryAfter(response) : null, output);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StepFailedException($"{what} did not answer within {Core.Configuration.Duration.Format(request.Timeout)}", retryable: true);
        }
        catch (HttpRequestException failed)
        {
            // Refused, reset, DNS, TLS: the receiver or the way to it may recover; the run's retries bound the attempts.
            throw new StepFailedException($"{what} failed: {failed.Message}", retryable: true);
        }
    }

    private static JsonObject KeptHeadersOf(HttpResponseMessage response)
    {
        var kept = new JsonObject();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            var lower = name.ToLowerInvariant();
            if (KeptHeaders.Contains(lower, StringComparer.Ordinal) && !kept.ContainsKey(lower))
            {
                kept[lower] = string.Join(", ", values);
            }
        }

        return kept;
    }

    /// <summary>The wait the answer asks for (seconds or a date), never negative.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : null);
        return wait is { } w ? (w < TimeSpan.Zero ? TimeSpan.Zero : w) : null;
    }
}
