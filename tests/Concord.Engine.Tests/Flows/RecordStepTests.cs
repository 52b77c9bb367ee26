using System.Text.Json.Nodes;
using Concord.Core.Flows.Model;
using Concord.Engine.Storage;
using static Concord.Engine.Tests.Flows.FlowBuilder;

namespace Concord.Engine.Tests.Flows;

/// <summary>The record actions against golden records in SQLite: what they find, write, output and owe.</summary>
public sealed class RecordStepTests
{
    private static Task<FlowRig> RigAsync(params FlowConfig[] flows) => FlowRig.StartAsync(flows);

    [Fact]
    public async Task Create_WritesAGoldenRecordAsTheFlow_WithKeysEventAndDeliveries()
    {
        await using var rig = await RigAsync(Flow("signup", Manual,
            Step("contact", StepAction.Create, """{"type":"customer","fields":{"email":"{{ input.email }}","name":"{{ input.name }}","currency":"eur"}}""")));

        var run = await rig.RunAsync("signup", """{"email":"Ann@Example.com","name":"Ann"}""");

        Assert.Equal(FlowRunStatus.Succeeded, run.Status);
        var output = await rig.OutputAsync(run.Id, "contact");
        Assert.True((bool)output["created"]!);
        Assert.False((bool)output["found"]!);
        Assert.Equal(1, (long)output["version"]!);
        Assert.Equal("EUR", (string?)output["currency"]);
        var record = (await rig.Store.GetRecordAsync((string)output["id"]!, default))!;
        Assert.Equal("Ann", (string?)record.ValueOf("name"));
        Assert.Equal("flow:signup", record.Fields["name"].System);

        var history = Assert.Single(await rig.Store.GetHistoryAsync(record.Id, 10, default));
        Assert.Equal(("created", "flow:signup", run.Id), (history.Kind, history.System, history.ChangeId));

        // The identity key is held: the crm's copy of the same email resolves to this record.
        Assert.Equal(record.Id, await rig.CustomerAsync("c9", """{"email":"ann@example.com","name":"Ann"}"""));

        var deliveries = await rig.Store.QueryDeliveriesAsync(new DeliveryQuery(RecordId: record.Id, Limit: 10), default);
        Assert.Contains(deliveries, d => d.System == "sink" && d.Version == 1 && d.CorrelationId == run.Id);
    }

    [Fact]
    public async Task Find_ByIdentityKeyOrByScan_InASystem_AndRequired()
    {
        await using var rig = await RigAsync(
            Flow("by_email", Manual, Step("found", StepAction.Find, """{"type":"customer","where":{"email":"{{ input.email }}"}}""")),
            Flow("by_name", Manual, Step("found", StepAction.Find, """{"type":"customer","where":{"name":"{{ input.name }}","country":"NL"}}""")),
            Flow("in_billing", Manual, Step("found", StepAction.Find, """{"type":"customer","where":{"email":"{{ input.email }}"},"in":"billing"}""")),
            Flow("required", Manual, Step("found", StepAction.Find, """{"type":"customer","where":{"email":"{{ input.email }}"},"required":true}""")));
        var ann = await rig.CustomerAsync("c1", """{"email":"ann@example.com","name":"Ann","country":"NL"}""");
        await rig.CustomerAsync("c2", """{"email":"bob@example.com","name":"Ann","country":"BE"}""");

        var byEmail = await rig.OutputAsync((await rig.RunAsync("by_email", """{"email":" ANN@example.com "}""")).Id, "found");
        Assert.Equal(ann, (string?)byEmail["id"]);
        Assert.True((bool)byEmail["found"]!);
        Assert.Equal("Ann", (string?)byEmail["name"]);

        var byName = await rig.OutputAsync((await rig.RunAsync("by_name", """{"name":"Ann"}""")).Id, "found");
        Assert.Equal(ann, (string?)byName["id"]);

        var notLinked = await rig.OutputAsync((await rig.RunAsync("in_billing", """{"email":"ann@example.com"}""")).Id, "found");
        Assert.False((bool)notLinked["found"]!);
        Assert.Null(notLinked["id"]);

        var missing = await rig.RunAsync("required", """{"email":"carol@example.com"}""");
        Assert.Equal(FlowRunStatus.Failed, missing.Status);
        Assert.Equal("found", missing.Step);
        Assert.Contains("no customer where email = \"c***@example.com\"", missing.Error);
        Assert.DoesNotContain("carol", missing.Error, StringComparison.Ordinal);
        Assert.Equal(1, (await rig.StepsAsync(missing.Id))["found"].Attempts);
    }

    [Fact]
    public async Task FindOrCreate_FindsByTheIdentityKey_ElseCreatesOnce()
    {
        await using var rig = await RigAsync(Flow("ensure", Manual,
            Step("contact", StepAction.FindOrCreate, """{"type":"customer","fields":{"email":"{{ input.email }}","name":"{{ input.name }}"}}""")));
        var ann = await rig.CustomerAsync("c1", """{"email":"ann@example.com","name":"Ann"}""");

        var existing = await rig.OutputAsync((await rig.RunAsync("ensure", """{"email":"ann@example.com","name":"Someone else"}""")).Id, "contact");
        Assert.Equal(ann, (string?)existing["id"]);
        Assert.True((bool)existing["found"]!);
        Assert.False((bool)existing["created"]!);
        Assert.Equal("Ann", (string?)existing["name"]);

        var first = await rig.OutputAsync((await rig.RunAsync("ensure", """{"email":"new@example.com","name":"New"}""")).Id, "contact");
        var second = await rig.OutputAsync((await rig.RunAsync("ensure", """{"email":"NEW@example.com","name":"New"}""")).Id, "contact");
        Assert.True((bool)first["created"]!);
        Assert.False((bool)second["created"]!);
        Assert.Equal((string?)first["id"], (string?)second["id"]);
        Assert.Single(await rig.Store.SearchAsync("customer", "new@example.com", 10, default));
    }

    [Fact]
    public async Task FindOrCreate_OnNonKeyFields_AndReferencesMustNameRecords()
    {
        await using var rig = await RigAsync(Flow("book", Manual,
            Step("invoice", StepAction.FindOrCreate, """
                {"type":"invoice","match":["customer","description"],
                 "fields":{"number":"{{ input.number }}","customer":"{{ input.customer }}","description":"{{ input.what }}","amount":"{{ input.amount }}","currency":"EUR","status":"draft"}}
                """)));
        var ann = await rig.CustomerAsync("c1", """{"email":"ann@example.com","name":"Ann"}""");

        var created = await rig.OutputAsync((await rig.RunAsync("book", $$"""{"number":"INV-1","customer":"{{ann}}","what":"brand refresh","amount":3200}""")).Id, "invoice");
        var again = await rig.OutputAsync((await rig.RunAsync("book", $$"""{"number":"INV-2","customer":"{{ann}}","what":"brand refresh","amount":3200}""")).Id, "invoice");
        Assert.True((bool)created["created"]!);
        Assert.Equal(3200m, (decimal)created["amount"]!);
        Assert.Equal((string?)created["id"], (string?)again["id"]);
        Assert.Equal("INV-1", (string?)again["number"]);

        var dangling = await rig.RunAsync("book", """{"number":"INV-3","customer":"rec_nobody","what":"x","amount":1}""");
        Assert.Equal(FlowRunStatus.Failed, dangling.Status);
        Assert.Contains("fields.customer: 'rec_nobody' is not the id of a customer record", dangling.Error);
    }

    [Fact]
    public async Task UpdateUpsertAndSet_WriteNewVersions_OnlyWhenSomethingChanged()
    {
        await using var rig = await RigAsync(
            Flow("note", Manual,
                Step("contact", StepAction.Find, """{"type":"customer","where":{"email":"{{ input.email }}"},"required":true}"""),
                Step("update", StepAction.Update, """{"type":"customer","record":"{{ steps.contact.id }}","fields":{"notes":"{{ input.note }}"}}"""),
                Step("set", StepAction.Set, """{"record":"{{ steps.contact }}","fields":{"lifecycle_stage":"customer"}}""")),
            Flow("sync", Manual,
                Step("contact", StepAction.Upsert, """{"type":"customer","fields":{"email":"{{ input.email }}","name":"{{ input.name }}"}}""")));
        var ann = await rig.CustomerAsync("c1", """{"email":"ann@example.com","name":"Ann"}""");

        var noted = await rig.RunAsync("note", """{"email":"ann@example.com","note":"VIP"}""");
        Assert.Equal(FlowRunStatus.Succeeded, noted.Status);
        Assert.Equal(2, (long)(await rig.OutputAsync(noted.Id, "update"))["version"]!);
        Assert.Equal(3, (long)(await rig.OutputAsync(noted.Id, "set"))["version"]!);
        var record = (await rig.Store.GetRecordAsync(ann, default))!;
        Assert.Equal(("VIP", "customer"), ((string?)record.ValueOf("notes"), (string?)record.ValueOf("lifecycle_stage")));

        var same = await rig.RunAsync("note", """{"email":"ann@example.com","note":"VIP"}""");
        Assert.Equal(3, (long)(await rig.OutputAsync(same.Id, "set"))["version"]!);
        Assert.Equal(3, (await rig.Store.GetRecordAsync(ann, default))!.Version);

        var upserted = await rig.OutputAsync((await rig.RunAsync("sync", """{"email":"ann@example.com","name":"Ann Lee"}""")).Id, "contact");
        Assert.Equal(ann, (string?)upserted["id"]);
        Assert.Equal("Ann Lee", (string?)upserted["name"]);
        var inserted = await rig.OutputAsync((await rig.RunAsync("sync", """{"email":"bob@example.com","name":"Bob"}""")).Id, "contact");
        Assert.True((bool)inserted["created"]!);
    }

    [Fact]
    public async Task ValuesAreCheckedAgainstTheSchema_AndTheFailureIsPermanent()
    {
        await using var rig = await RigAsync(Flow("bad", Manual,
            Step("contact", StepAction.Create, """{"type":"customer","fields":{"email":"not an email","created_at":"yesterday","favourite":"x"}}""")));

        var run = await rig.RunAsync("bad");

        Assert.Equal(FlowRunStatus.Failed, run.Status);
        Assert.Contains("fields.email: must be an email address", run.Error);
        Assert.Contains("fields.created_at: must be an ISO 8601 time", run.Error);
        Assert.Contains("fields.favourite: 'favourite' is not a field of customer", run.Error);
        Assert.Equal(1, (await rig.StepsAsync(run.Id))["contact"].Attempts);
        Assert.Empty(await rig.Store.SearchAsync("customer", "not an email", 10, default));
    }
}
