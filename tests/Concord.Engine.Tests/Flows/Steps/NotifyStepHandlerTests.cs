using System.Text.Json.Nodes;
using Concord.Core.Flows.Model;
using Concord.Engine.Connectors;
using Concord.Engine.Flows;
using Concord.Engine.Flows.Steps;

namespace Concord.Engine.Tests.Flows.Steps;

public sealed class NotifyStepHandlerTests
{
    private readonly ScriptedNotifier _slack = new();
    private readonly ScriptedNotifier _mail = new();
    private readonly NotifyStepHandler _handler;

    public NotifyStepHandlerTests() =>
        _handler = new NotifyStepHandler(new Dictionary<string, INotifier>(StringComparer.Ordinal) { ["team"] = _slack, ["mail"] = _mail });

    private Task<StepOutcome> NotifyAsync(string args, bool dryRun = false) =>
        _handler.RunAsync(Steps.Run(StepAction.Notify, args, dryRun, id: "tell", key: "run_1.tell.0"), default);

    [Fact]
    public async Task TheOtherArguments_GoToTheNamedSystem_WithTheStepsKeyAndTheRun()
    {
        _slack.Answer = new NotifyResult(200, """{"channel":"#finance","text":"Paid"}""", """{"ok":true,"ts":"1.2"}""", ExternalId: "1.2");

        var output = Steps.Output(await NotifyAsync("""{ "via": "team", "channel": "#finance", "text": "Paid" }"""));

        var sent = Assert.Single(_slack.Sent);
        Assert.Empty(_mail.Sent);
        Assert.Equal("""{"channel":"#finance","text":"Paid"}""", sent.Args.ToJsonString());
        Assert.Equal("run_1.tell.0", sent.IdempotencyKey);
        Assert.Equal("run_1", sent.CorrelationId);
        Assert.Equal(200, (int)output["status"]!);
        Assert.Equal("#finance", (string?)output["request"]!["channel"]);
        Assert.True((bool)output["response"]!["ok"]!);
        Assert.Equal("1.2", (string?)output["external_id"]);
    }

    [Fact]
    public async Task AnswersThatAreNotJson_AreKeptAsText()
    {
        _mail.Answer = new NotifyResult(250, "MAIL FROM:<hub@example.com> RCPT TO:<ap@example.com>", "250 2.0.0 queued as 7F1");

        var output = Steps.Output(await NotifyAsync("""{ "via": "mail", "to": "ap@example.com", "subject": "Hi", "text": "Paid" }"""));

        Assert.Equal("250 2.0.0 queued as 7F1", (string?)output["response"]);
        Assert.Null(output["external_id"]);
    }

    [Fact]
    public async Task ADryRun_SendsNothing_AndSaysWhatItWouldSend()
    {
        var output = Steps.Output(await NotifyAsync("""{ "via": "team", "text": "Paid" }""", dryRun: true));

        Assert.Empty(_slack.Sent);
        Assert.Equal("""{"dry_run":true,"via":"team","would_send":{"text":"Paid"}}""", output.ToJsonString());
    }

    [Fact]
    public async Task AnUnknownSystem_FailsForGood_NamingTheOnesThatCanNotify()
    {
        var failed = await Assert.ThrowsAsync<StepFailedException>(() => NotifyAsync("""{ "via": "slak", "text": "Paid" }""", dryRun: true));

        Assert.False(failed.Retryable);
        Assert.Equal("step 'tell': via names 'slak', which is not a system that can notify (these can: mail, team)", failed.Message);
    }

    [Fact]
    public async Task ARetryableRefusal_IsRetried_AfterTheWaitTheSystemAskedFor()
    {
        _slack.Failure = new DeliveryFailedException("team: Slack is rate limiting chat.postMessage (ratelimited)", 429, """{"ok":false,"error":"ratelimited"}""",
            retryable: true, TimeSpan.FromSeconds(30));

        var failed = await Assert.ThrowsAsync<StepFailedException>(() => NotifyAsync("""{ "via": "team", "text": "Paid" }"""));

        Assert.True(failed.Retryable);
        Assert.Equal(TimeSpan.FromSeconds(30), failed.RetryAfter);
        Assert.Equal(_slack.Failure.Message, failed.Message);
        Assert.Equal(429, (int)failed.Detail!["status"]!);
        Assert.Equal("ratelimited", (string?)failed.Detail!["response"]!["error"]);
    }

    [Fact]
    public async Task APermanentRefusal_IsNotRetried()
    {
        _slack.Failure = new DeliveryFailedException("team: Slack answered 200 to chat.postMessage with error channel_not_found", 200, """{"ok":false}""", retryable: false);

        var failed = await Assert.ThrowsAsync<StepFailedException>(() => NotifyAsync("""{ "via": "team", "text": "Paid" }"""));

        Assert.False(failed.Retryable);
    }

    [Fact]
    public async Task AConnectionFailureOrATimeout_IsRetryable()
    {
        _slack.Thrown = new HttpRequestException("Connection refused");
        var refused = await Assert.ThrowsAsync<StepFailedException>(() => NotifyAsync("""{ "via": "team", "text": "Paid" }"""));
        _slack.Thrown = new TaskCanceledException("timed out");
        var slow = await Assert.ThrowsAsync<StepFailedException>(() => NotifyAsync("""{ "via": "team", "text": "Paid" }"""));

        Assert.True(refused.Retryable);
        Assert.Equal("could not reach team: Connection refused", refused.Message);
        Assert.True(slow.Retryable);
        Assert.Equal("team did not answer in time", slow.Message);
    }

    [Fact]
    public async Task WithoutVia_TheStepFailsForGood()
    {
        var failed = await Assert.ThrowsAsync<StepFailedException>(() => NotifyAsync("""{ "text": "Paid" }"""));

        Assert.False(failed.Retryable);
        Assert.Contains("via is required", failed.Message, StringComparison.Ordinal);
    }

    private sealed class ScriptedNotifier : INotifier
    {
        public List<Notification> Sent { get; } = [];

        public NotifyResult Answer { get; set; } = new(200, "{}", "{}");

        public DeliveryFailedException? Failure { get; set; }

        public Exception? Thrown { get; set; }

        public IReadOnlyList<string> Arguments { get; } = ["channel", "text"];

        public Task<NotifyResult> NotifyAsync(Notification notification, CancellationToken cancellationToken)
        {
            Sent.Add(notification);
            if (((Exception?)Failure ?? Thrown) is { } failure)
            {
                throw failure;
            }

            return Task.FromResult(Answer);
        }
    }
}
