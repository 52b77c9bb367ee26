using System.Text;
using Concord.Connectors.QuickBooks;
using Concord.Engine.Connectors;

namespace Concord.Connectors.Tests.QuickBooks;

public sealed class QuickBooksInboundTests : IAsyncLifetime
{
    private QuickBooksRig _rig = null!;

    public async Task InitializeAsync() => _rig = await QuickBooksRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private InboundRequest Signed(string json, string token = "qb-verifier")
    {
        var body = Encoding.UTF8.GetBytes(json);
        return new InboundRequest("qbo", new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [QuickBooksSignature.Header] = QuickBooksSignature.Sign(token, body) }, body);
    }

    private string Event(string id, string type, string entityId, string? realm = null) =>
        $$"""{"specversion":"1.0","id":"{{id}}","source":"intuit","type":"{{type}}","time":"2026-11-22T12:00:00Z","intuitentityid":"{{entityId}}","intuitaccountid":"{{realm ?? _rig.Sandbox.RealmId}}"}""";

    [Fact]
    public void AnUpdate_AsksForAPoll_AndADeletion_IsADeletedChange()
    {
        var changes = _rig.Inbound.Receive(Signed($"[{Event("ev-1", "qbo.customer.updated.v1", "7")},{Event("ev-2", "qbo.invoice.deleted.v1", "130")}]"));

        var deleted = Assert.Single(changes);
        Assert.Equal("invoice", deleted.Change.Type);
        Assert.Equal("130", deleted.Change.ExternalId);
        Assert.Equal("ev-2", deleted.Change.EventId);
        Assert.True(deleted.Change.Deleted);
        Assert.Equal(["qbo"], _rig.PollRequests);
    }

    [Fact]
    public void EventsOfAnotherCompany_AreIgnored()
    {
        var changes = _rig.Inbound.Receive(Signed($"[{Event("ev-3", "qbo.invoice.deleted.v1", "1", realm: "999")},{Event("ev-4", "qbo.customer.created.v1", "2", realm: "999")}]"));
        Assert.Empty(changes);
        Assert.Empty(_rig.PollRequests);
    }

    [Fact]
    public void TheLegacyShape_IsReadToo()
    {
        var json = $$$"""{"eventNotifications":[{"realmId":"{{{_rig.Sandbox.RealmId}}}","dataChangeEvent":{"entities":[{"name":"Payment","id":"55","operation":"Delete","lastUpdated":"2026-11-22T12:00:00.000Z"},{"name":"Customer","id":"3","operation":"Update","lastUpdated":"2026-11-22T12:00:00.000Z"}]}}]}""";
        var change = Assert.Single(_rig.Inbound.Receive(Signed(json)));
        Assert.Equal(("payment", "55", true), (change.Change.Type, change.Change.ExternalId, change.Change.Deleted));
        Assert.Single(_rig.PollRequests);
    }

    [Fact]
    public void TheSameEvent_KeepsItsEventId()
    {
        var json = $"[{Event("ev-9", "qbo.invoice.deleted.v1", "4")}]";
        Assert.Equal(_rig.Inbound.Receive(Signed(json))[0].Change.EventId, _rig.Inbound.Receive(Signed(json))[0].Change.EventId);
    }

    [Theory]
    [InlineData("wrong token")]
    [InlineData("unsigned")]
    public void AWrongSignature_IsRejected(string how)
    {
        var json = $"[{Event("ev-5", "qbo.invoice.deleted.v1", "1")}]";
        var request = how == "unsigned"
            ? new InboundRequest("qbo", new Dictionary<string, string>(), Encoding.UTF8.GetBytes(json))
            : Signed(json, "another-token");
        Assert.Throws<WebhookRejectedException>(() => _rig.Inbound.Receive(request));
        Assert.Empty(_rig.PollRequests);
    }
}
