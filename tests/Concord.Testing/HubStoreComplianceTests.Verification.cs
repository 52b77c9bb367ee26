using System.Text.Json.Nodes;
using Concord.Core.Records;
using Concord.Engine.Storage;
using Xunit;

namespace Concord.Testing;

/// <summary>What a store must do for verification: the hub's side of a sync page by page, runs and their drift, requests.</summary>
public abstract partial class HubStoreComplianceTests
{
    private GoldenRecord Customer(string id, bool deleted = false) => new()
    {
        Id = id, Type = "customer", Version = 1, CreatedAt = Time.GetUtcNow(), UpdatedAt = Time.GetUtcNow(), Deleted = deleted,
        Fields = { ["email"] = new FieldValue { Value = JsonValue.Create($"{id}@example.com"), System = "crm", ObservedAt = Time.GetUtcNow() } },
    };

    private async Task<IHubStore> LinkedAsync()
    {
        var store = await Open();
        await store.ExecuteAsync(tx =>
        {
            foreach (var (id, external, deleted) in new[] { ("rec_a", "s-a", false), ("rec_b", "s-b", false), ("rec_c", "s-c", false), ("rec_gone", "s-gone", true) })
            {
                tx.SaveRecord(Customer(id, deleted), 0);
                tx.SetLink("stripe", "customer", external, id);
            }

            tx.SaveRecord(Customer("rec_elsewhere"), 0);
            tx.SetLink("hubspot", "customer", "h-1", "rec_elsewhere");
            return true;
        }, default);
        return store;
    }

    [Fact]
    public async Task Verification_CountsAndFindsLiveLinkedRecords_OfOneSystemAndType()
    {
        var store = await LinkedAsync();

        Assert.Equal(3, await store.CountLinkedAsync("stripe", "customer", default));
        Assert.Equal(0, await store.CountLinkedAsync("stripe", "invoice", default));
        var found = await store.GetLinkedAsync("stripe", "customer", ["s-a", "s-c", "s-gone", "h-1", "s-nope"], default);
        Assert.Equal([("s-a", "rec_a"), ("s-c", "rec_c")], found.Select(l => (l.ExternalId, l.Record.Id)).Order());
        Assert.Equal("rec_a@example.com", found.Single(l => l.ExternalId == "s-a").Record.ValueOf("email")?.ToString());
    }

    [Fact]
    public async Task Verification_UnseenLinks_ComeInPages_AndClearingForgetsWhatWasSeen()
    {
        var store = await LinkedAsync();
        await store.MarkSeenAsync("stripe", "customer", ["s-b", "s-unknown"], default);
        await store.MarkSeenAsync("stripe", "customer", ["s-b"], default);

        var first = await store.GetUnseenAsync("stripe", "customer", null, 1, default);
        var second = await store.GetUnseenAsync("stripe", "customer", first[^1].ExternalId, 1, default);
        var third = await store.GetUnseenAsync("stripe", "customer", second[^1].ExternalId, 1, default);
        Assert.Equal(["s-a"], first.Select(l => l.ExternalId));
        Assert.Equal(["s-c"], second.Select(l => l.ExternalId));
        Assert.Empty(third);

        await store.ClearSeenAsync("stripe", "customer", default);
        Assert.Equal(["s-a", "s-b", "s-c"], (await store.GetUnseenAsync("stripe", "customer", null, 10, default)).Select(l => l.ExternalId));
    }

    [Fact]
    public async Task Verification_OpenDeliveries_AreThePendingAndRetryingOnes_ToThatSystem()
    {
        var store = await LinkedAsync();
        await store.ExecuteAsync(tx =>
        {
            tx.EnqueueDelivery(NewDelivery("rec_a", 1, "stripe"));
            tx.EnqueueDelivery(NewDelivery("rec_b", 1, "hubspot"));
            return true;
        }, default);

        var open = await store.WithOpenDeliveriesAsync("stripe", ["rec_a", "rec_b", "rec_c"], default);

        Assert.Equal(["rec_a"], open);
    }

    [Fact]
    public async Task Verification_RunsAreStored_TheLatestPerSyncIsListed_AndOnlyItsDriftKept()
    {
        var store = await Open();
        Assert.Null(await store.GetVerificationAsync("stripe", "customer", default));

        var first = new SyncVerification("stripe", "customer", Time.GetUtcNow(), 3, 3, 2, 2);
        await store.SaveVerificationAsync(first, [
            new DriftRecord(DriftKind.FieldDiffers, "s-a", "rec_a", [new FieldDrift("city", JsonValue.Create("London"), JsonValue.Create("Paris"))]),
            new DriftRecord(DriftKind.UnknownToHub, "s-z", null, []),
        ], default);
        await store.SaveVerificationAsync(new SyncVerification("hubspot", "customer", Time.GetUtcNow(), 1, 0, 0, 1), [new DriftRecord(DriftKind.MissingInSystem, "h-1", "rec_h", [])], default);

        var drift = await store.GetDriftAsync("stripe", "customer", 10, default);
        Assert.Equal([DriftKind.FieldDiffers, DriftKind.UnknownToHub], drift.Select(d => d.Kind));
        Assert.Equal("Paris", drift[0].Fields.Single().System?.ToString());
        Assert.Null(drift[1].RecordId);

        Time.Advance(TimeSpan.FromHours(6));
        var second = new SyncVerification("stripe", "customer", Time.GetUtcNow(), 3, 3, 3, 0, null);
        await store.SaveVerificationAsync(second, [], default);

        Assert.Equal(second, await store.GetVerificationAsync("stripe", "customer", default));
        Assert.Empty(await store.GetDriftAsync("stripe", "customer", 10, default));
        Assert.Single(await store.GetDriftAsync("hubspot", "customer", 10, default));
        var latest = await store.GetVerificationsAsync(default);
        Assert.Equal([("hubspot", 1L), ("stripe", 0L)], latest.Select(v => (v.System, v.Drifted)));
    }

    [Fact]
    public async Task Verification_Requests_AreTakenOnce_AndASecondForTheSameSyncReplacesTheFirst()
    {
        var store = await Open();
        Assert.Empty(await store.TakeVerificationRequestsAsync(default));

        await store.RequestVerificationAsync(new VerificationRequest("stripe", "customer", true, Time.GetUtcNow()), default);
        Time.Advance(TimeSpan.FromSeconds(1));
        await store.RequestVerificationAsync(new VerificationRequest("hubspot", "customer", false, Time.GetUtcNow()), default);
        Time.Advance(TimeSpan.FromSeconds(1));
        await store.RequestVerificationAsync(new VerificationRequest("stripe", "customer", false, Time.GetUtcNow()), default);

        var taken = await store.TakeVerificationRequestsAsync(default);
        Assert.Equal([("hubspot", false), ("stripe", true)], taken.Select(r => (r.System, r.Repair)));
        Assert.Empty(await store.TakeVerificationRequestsAsync(default));
    }
}
