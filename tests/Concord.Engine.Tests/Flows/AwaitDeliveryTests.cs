using Concord.Core.Flows.Model;
using Concord.Engine.Storage;
using Concord.Testing;
using static Concord.Engine.Tests.Flows.FlowBuilder;

namespace Concord.Engine.Tests.Flows;

/// <summary>A record step with <c>in:</c> completes when the system has the written version, over real HTTP to a recording sink.</summary>
public sealed class AwaitDeliveryTests
{
    private static FlowConfig Push(string name, string extra = "") => Flow(name, Manual,
        Step("contact", StepAction.Create, $$$"""{"type":"customer","in":"sink"{{{extra}}},"fields":{"email":"{{ input.email }}","name":"Ann"}}"""),
        Step("after", StepAction.Set, """{"record":"{{ steps.contact.id }}","fields":{"notes":"sink id {{ steps.contact.external_id }}"}}"""));

    [Fact]
    public async Task TheStepWaitsForTheDelivery_AndOutputsTheSystemsId()
    {
        await using var rig = await FlowRig.StartAsync([Push("push")]);

        var run = await rig.RunAsync("push", """{"email":"ann@example.com"}""");

        Assert.Equal(FlowRunStatus.Succeeded, run.Status);
        var output = await rig.OutputAsync(run.Id, "contact");
        var applied = Assert.Single(rig.Sink.Applied, r => r.Headers["X-Path"] == "/sink" && (long)r.Body["version"]! == 1);
        var externalId = (string?)output["external_id"];
        Assert.StartsWith("ext-", externalId);
        Assert.False(output.ContainsKey("$await"));
        Assert.Equal((string?)output["id"], (string?)applied.Body["record_id"]);
        var record = (await rig.Store.GetRecordAsync((string)output["id"]!, default))!;
        Assert.Equal($"sink id {externalId}", (string?)record.ValueOf("notes"));
    }

    [Fact]
    public async Task AwaitNone_CompletesWithoutWaiting()
    {
        await using var rig = await FlowRig.StartAsync([Push("push", ""","await":"none" """)]);
        rig.Sink.Behavior = _ => new SinkAnswer(503);

        var run = await rig.RunAsync("push", """{"email":"ann@example.com"}""");

        Assert.Equal(FlowRunStatus.Succeeded, run.Status);
        Assert.Null((await rig.OutputAsync(run.Id, "contact"))["external_id"]);
    }

    [Fact]
    public async Task ADeadDeliveryFailsTheStep_AndAReplayWaitsAgainWithoutWritingTwice()
    {
        await using var rig = await FlowRig.StartAsync([Push("push")]);
        rig.Sink.Behavior = r => r.Headers["X-Path"] == "/sink" ? new SinkAnswer(422, """{"error":"rejected"}""") : null;

        var failed = await rig.RunAsync("push", """{"email":"ann@example.com"}""");

        Assert.Equal(FlowRunStatus.Failed, failed.Status);
        Assert.Equal("contact", failed.Step);
        Assert.Contains("did not reach sink", failed.Error);
        Assert.Contains("is dead", failed.Error);

        rig.Sink.Behavior = _ => null;
        var dead = Assert.Single(await rig.Store.QueryDeliveriesAsync(new DeliveryQuery(DeliveryStatus.Dead, "sink"), default));
        Assert.Equal(Concord.Engine.Dispatch.ReplayOutcome.Requeued, await rig.Runtime.Replayer.ReplayAsync(dead.Id, "tests", default));
        await rig.Flows.ReplayAsync(failed.Id, "tests", default);
        var replayed = await rig.FinishedAsync(failed.Id);

        Assert.Equal(FlowRunStatus.Succeeded, replayed.Status);
        Assert.Equal(1, replayed.Replays);
        Assert.StartsWith("ext-", (string?)(await rig.OutputAsync(failed.Id, "contact"))["external_id"]);
        Assert.Single(await rig.Store.SearchAsync("customer", "ann@example.com", 10, default));
    }
}
