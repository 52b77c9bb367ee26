using System.Text.Json.Nodes;
using Concord.Core.Flows.Model;
using Concord.Engine.Flows;
using Concord.Engine.Storage;
using Concord.Testing;
using static Concord.Engine.Tests.Flows.FlowBuilder;

namespace Concord.Engine.Tests.Flows;

/// <summary>Record events start runs in the pipeline's transaction: which flows, with what data, and the loop guards.</summary>
public sealed class FlowTriggerTests
{
    private static readonly FlowStep Noop = Step("noop", StepAction.Http);

    [Fact]
    public async Task RunsAreEnqueuedForCreatedChangedAndFrom_WithTheTriggerData()
    {
        await using var rig = await FlowRig.StartAsync(
        [
            Flow("on_created", OnRecord("customer", RecordTriggerOn.Created), Noop),
            Flow("on_name_changed", OnRecord("customer", RecordTriggerOn.Changed, fields: ["name"]), Noop),
            Flow("on_updated_by_crm", OnRecord("customer", RecordTriggerOn.Updated, from: ["crm"]), Noop),
            Flow("on_updated_by_billing", OnRecord("customer", RecordTriggerOn.Updated, from: ["billing"]), Noop),
            Flow("on_deleted", OnRecord("customer", RecordTriggerOn.Deleted), Noop),
            new FlowConfig { Name = "paused", Trigger = OnRecord("customer", RecordTriggerOn.Created), Steps = [Noop], Enabled = false },
        ], start: false);

        var id = await rig.CustomerAsync("c1", """{"email":"ann@example.com","name":"Ann"}""");
        var created = Assert.Single(await rig.RunsAsync("on_created"));
        Assert.Equal(FlowRunStatus.Pending, created.Status);
        Assert.Equal($"{id}.v1", created.TriggerKey);
        Assert.Equal(id, created.RecordId);
        Assert.Equal(0, created.Depth);
        Assert.Null(created.CausedBy);
        var input = JsonNode.Parse(created.Input)!;
        Assert.Equal("ann@example.com", (string?)input["customer"]!["email"]);
        Assert.Equal(id, (string?)input["record"]!["id"]);
        Assert.Equal("created", (string?)input["trigger"]!["on"]);
        Assert.Equal("crm", (string?)input["trigger"]!["source"]);
        Assert.Empty(await rig.RunsAsync("on_updated_by_crm"));
        Assert.Empty(await rig.RunsAsync("paused"));

        await rig.CustomerAsync("c1", """{"phone":"+31 6 1234 5678"}""");
        Assert.Single(await rig.RunsAsync("on_updated_by_crm"));
        Assert.Empty(await rig.RunsAsync("on_name_changed"));
        Assert.Empty(await rig.RunsAsync("on_updated_by_billing"));

        await rig.CustomerAsync("c1", """{"name":"Ann Lee"}""");
        var renamed = Assert.Single(await rig.RunsAsync("on_name_changed"));
        var data = JsonNode.Parse(renamed.Input)!;
        Assert.Equal("Ann", (string?)data["before"]!["name"]);
        Assert.Equal("Ann Lee", (string?)data["customer"]!["name"]);
        Assert.Equal(["name"], data["trigger"]!["changed"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(2, (await rig.RunsAsync("on_updated_by_crm")).Count);

        await rig.AcceptAsync("crm", """{"type":"customer","external_id":"c1","deleted":true}""");
        Assert.Single(await rig.RunsAsync("on_deleted"));
    }

    [Fact]
    public async Task ReferenceFieldsAreResolvedToTheirRecords()
    {
        await using var rig = await FlowRig.StartAsync([Flow("paid", OnRecord("payment", RecordTriggerOn.Created), Noop)], start: false);
        var customer = await rig.CustomerAsync("c1", """{"email":"ann@example.com","name":"Ann"}""");

        await rig.AcceptAsync("crm", """{"type":"payment","external_id":"p1","fields":{"amount":"120.50","currency":"eur","status":"succeeded","customer":"c1"}}""");

        var data = JsonNode.Parse(Assert.Single(await rig.RunsAsync("paid")).Input)!;
        Assert.Equal(120.50m, (decimal)data["payment"]!["amount"]!);
        Assert.Equal("EUR", (string?)data["payment"]!["currency"]);
        Assert.Equal(customer, (string?)data["payment"]!["customer"]);
        Assert.Equal(customer, (string?)data["customer"]!["id"]);
        Assert.Equal("Ann", (string?)data["customer"]!["name"]);
    }

    [Fact]
    public async Task AStewardsOverrideIsAnUpdateFromSteward()
    {
        await using var rig = await FlowRig.StartAsync([Flow("fixed", OnRecord("customer", RecordTriggerOn.Updated, from: ["steward"]), Noop)], start: false);
        var id = await rig.CustomerAsync("c1", """{"email":"ann@example.com","name":"Ann"}""");

        var result = await rig.Runtime.SetOverrideAsync("customer", id, "name", JsonValue.Create("Ann Lee"), "maria", "typo", default);

        Assert.Equal(1, result.FlowRuns);
        var run = Assert.Single(await rig.RunsAsync("fixed"));
        Assert.Equal("steward", (string?)JsonNode.Parse(run.Input)!["trigger"]!["source"]);
    }

    [Fact]
    public async Task AMergesSurvivorIsAnUpdateFromTheHub()
    {
        await using var rig = await FlowRig.StartAsync([Flow("merged", OnRecord("customer", RecordTriggerOn.Updated, from: ["hub"]), Noop)], start: false);
        var ann = await rig.CustomerAsync("c1", """{"email":"ann@example.com","name":"Ann"}""");
        var dup = await rig.CustomerAsync("c2", """{"email":"ann.lee@example.com","name":"Ann Lee","phone":"+31 6 1234 5678"}""");

        var result = await rig.Store.ExecuteAsync(tx => rig.Runtime.Merger.Merge(tx, "customer", ann, dup, "maria"), default);

        Assert.Equal(1, result.FlowRuns);
        var run = Assert.Single(await rig.RunsAsync("merged"));
        Assert.Equal(ann, run.RecordId);
        Assert.Contains("phone", JsonNode.Parse(run.Input)!["trigger"]!["changed"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public async Task AFlowsOwnWriteDoesNotTriggerIt_ButTriggersOthersWithTheCause()
    {
        await using var rig = await FlowRig.StartAsync(
        [
            Flow("tag", OnRecord("customer", RecordTriggerOn.Updated),
                Step("set", StepAction.Set, """{"type":"customer","record":"{{ record.id }}","fields":{"notes":"tagged {{ customer.name }}"}}""")),
            Flow("follow", OnRecord("customer", RecordTriggerOn.Changed, fields: ["notes"]), Step("noop", StepAction.Http)),
        ], handlers: [new ScriptedStep(StepAction.Http, (_, _, _) => ScriptedStep.Done())]);
        var id = await rig.CustomerAsync("c1", """{"email":"ann@example.com","name":"Ann"}""");

        await rig.CustomerAsync("c1", """{"name":"Ann Lee"}""");

        var follow = await Eventually.GetAsync(async () => (await rig.RunsAsync("follow")).FirstOrDefault(r => r.IsFinished), "the follow-up run");
        var tag = Assert.Single(await rig.RunsAsync("tag"));
        Assert.Equal(FlowRunStatus.Succeeded, (await rig.FinishedAsync(tag.Id)).Status);
        Assert.Equal(FlowRunStatus.Succeeded, follow.Status);
        Assert.Equal(tag.Id, follow.CausedBy);
        Assert.Equal(1, follow.Depth);
        Assert.Equal("flow:tag", (string?)JsonNode.Parse(follow.Input)!["trigger"]!["source"]);
        Assert.Equal("tagged Ann Lee", (string?)(await rig.Store.GetRecordAsync(id, default))!.ValueOf("notes"));

        // Its own write was an update of the customer too, but started no second run of it.
        await Task.Delay(200);
        Assert.Single(await rig.RunsAsync("tag"));
    }

    [Fact]
    public async Task AChainLongerThanMaxDepthIsStopped_NamingTheChain_WithAFinding()
    {
        await using var rig = await FlowRig.StartAsync(
        [
            Flow("a", OnRecord("customer", RecordTriggerOn.Changed, fields: ["notes"]),
                Step("title", StepAction.Set, """{"type":"customer","record":"{{ record.id }}","fields":{"title":"{{ customer.notes }}+a"}}""")),
            Flow("b", OnRecord("customer", RecordTriggerOn.Changed, fields: ["title"]),
                Step("notes", StepAction.Set, """{"type":"customer","record":"{{ record.id }}","fields":{"notes":"{{ customer.title }}+b"}}""")),
        ], maxDepth: 2);
        var id = await rig.CustomerAsync("c1", """{"email":"ann@example.com","name":"Ann"}""");

        await rig.CustomerAsync("c1", """{"notes":"x"}""");

        var stopped = await Eventually.GetAsync(async () => (await rig.RunsAsync("a")).FirstOrDefault(r => r.Status == FlowRunStatus.Stopped), "the stopped run");
        Assert.Equal(2, stopped.Depth);
        Assert.Contains("'a' → 'b' → 'a'", stopped.Error);
        Assert.Contains("max_depth (2)", stopped.Error);
        var runs = await Eventually.GetAsync(async () => await rig.RunsAsync() is var all && all.All(r => r.IsFinished) ? all : null, "every run to end");
        Assert.Equal(3, runs.Count);
        Assert.All(runs.Where(r => r.Id != stopped.Id), r => Assert.Equal(FlowRunStatus.Succeeded, r.Status));
        Assert.Equal("x+a+b", (string?)(await rig.Store.GetRecordAsync(id, default))!.ValueOf("notes"));

        var finding = Assert.Single(await rig.Store.QueryFindingsAsync(new FindingQuery(Kind: FlowTriggers.DepthFinding), default));
        Assert.Equal(id, finding.RecordId);
        Assert.Equal("warning", finding.Severity);
        Assert.Contains("'a' → 'b' → 'a'", finding.Message);
    }
}
