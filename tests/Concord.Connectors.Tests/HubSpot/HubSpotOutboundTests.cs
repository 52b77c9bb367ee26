using Concord.Engine.Connectors;

namespace Concord.Connectors.Tests.HubSpot;

/// <summary>Deliveries against the stateful sandbox: create, retry, update, delete, associations and failures.</summary>
public sealed class HubSpotOutboundTests : IAsyncLifetime
{
    private HubSpotKit _kit = null!;

    public async Task InitializeAsync() => _kit = await HubSpotKit.StartAsync();

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    [Fact]
    public async Task ANewCustomer_IsUpsertedByEmail_AndARetryCreatesNothingTwice()
    {
        var delivery = HubSpotKit.Delivery("customer", "rec_ann", """{"email":"ann@example.com","name":"Ann Lee","city":"Oslo"}""");
        var first = await _kit.Outbound.SendAsync(delivery, default);
        var again = await _kit.Outbound.SendAsync(delivery, default);

        var contact = Assert.Single(_kit.Sandbox.All("contacts"));
        Assert.Equal(contact.Id, first.ExternalId);
        Assert.Equal(contact.Id, again.ExternalId);
        Assert.Equal("Ann", contact["firstname"]);
        Assert.Equal("Lee", contact["lastname"]);
        Assert.Equal("Oslo", contact["city"]);
        Assert.Contains(_kit.Sandbox.Requests, r => r.Method == "POST" && r.PathAndQuery == "/crm/v3/objects/contacts/batch/upsert");
    }

    [Fact]
    public async Task ACompany_IsUpsertedByTheHubsId_SoARetryFindsTheFirstAttemptsCompany()
    {
        var delivery = HubSpotKit.Delivery("company", "rec_acme", """{"name":"Acme","domain":"acme.test","employee_count":12}""");
        var first = await _kit.Outbound.SendAsync(delivery, default);
        await _kit.Outbound.SendAsync(delivery, default);

        var company = Assert.Single(_kit.Sandbox.All("companies"));
        Assert.Equal(company.Id, first.ExternalId);
        Assert.Equal("rec_acme", company["concord_id"]);
        Assert.Equal("12", company["numberofemployees"]);
    }

    [Fact]
    public async Task AKnownRecord_IsPatched_AndADeleteArchivesIt()
    {
        var contact = _kit.Sandbox.Store.Create("contacts", new Dictionary<string, string?> { ["email"] = "bo@example.com", ["firstname"] = "Bo" }, DateTimeOffset.UtcNow);
        var result = await _kit.Outbound.SendAsync(HubSpotKit.Delivery("customer", "rec_bo", """{"email":"bo@example.com","first_name":"Bob","phone":"+4712345678"}""", contact.Id), default);
        Assert.Equal(contact.Id, result.ExternalId);
        Assert.Equal("Bob", _kit.Sandbox.Get("contacts", contact.Id)!["firstname"]);
        Assert.Equal("+4712345678", _kit.Sandbox.Get("contacts", contact.Id)!["phone"]);
        Assert.Contains(_kit.Sandbox.Requests, r => r.Method == "PATCH" && r.PathAndQuery == $"/crm/v3/objects/contacts/{contact.Id}");

        await _kit.Outbound.SendAsync(HubSpotKit.Delivery("customer", "rec_bo", "{}", contact.Id, operation: "delete"), default);
        Assert.Null(_kit.Sandbox.Get("contacts", contact.Id));
        Assert.Empty(_kit.Sandbox.All("contacts"));
    }

    [Fact]
    public async Task ADeal_IsAssociatedWithItsCustomerAndCompany_OnceTheyAreInHubSpot()
    {
        var contact = _kit.Sandbox.Store.Create("contacts", new Dictionary<string, string?> { ["email"] = "cy@example.com" }, DateTimeOffset.UtcNow);
        var company = _kit.Sandbox.Store.Create("companies", new Dictionary<string, string?> { ["name"] = "Cyco" }, DateTimeOffset.UtcNow);
        var payload = """{"name":"Cy renewal","amount":1500.5,"currency":"usd","stage":"contractsent","close_date":"2026-12-01","customer":"rec_cy","company":"rec_cyco"}""";

        var deferred = await Assert.ThrowsAsync<DeliveryFailedException>(() => _kit.Outbound.SendAsync(HubSpotKit.Delivery("deal", "rec_deal", payload), default));
        Assert.True(deferred.IsDeferred);
        Assert.Contains("rec_cy", deferred.Message, StringComparison.Ordinal);
        Assert.Empty(_kit.Sandbox.All("deals"));

        _kit.Links["rec_cy"] = contact.Id;
        _kit.Links["rec_cyco"] = company.Id;
        var result = await _kit.Outbound.SendAsync(HubSpotKit.Delivery("deal", "rec_deal", payload), default);
        var deal = Assert.Single(_kit.Sandbox.All("deals"));
        Assert.Equal(deal.Id, result.ExternalId);
        Assert.Equal("1500.5", deal["amount"]);
        Assert.Equal("USD", deal["deal_currency_code"]);
        Assert.Equal("rec_deal", deal["concord_id"]);
        Assert.Equal([contact.Id], _kit.Sandbox.Store.Associated("deals", deal.Id, "contacts"));
        Assert.Equal([company.Id], _kit.Sandbox.Store.Associated("deals", deal.Id, "companies"));
    }

    [Theory]
    [InlineData("TEN_SECONDLY_ROLLING")]
    [InlineData("DAILY")]
    public async Task A429_IsRetryable_HoldsTheSystem_AndWaitsWhatHubSpotSays(string policy)
    {
        _kit.Sandbox.ThrottlePolicy = policy;
        _kit.Sandbox.Throttle(1, TimeSpan.FromSeconds(7));
        var ex = await Assert.ThrowsAsync<DeliveryFailedException>(() => _kit.Outbound.SendAsync(HubSpotKit.Delivery("customer", "rec_x", """{"email":"x@example.com"}"""), default));
        Assert.Equal(429, ex.StatusCode);
        Assert.True(ex.Retryable);
        Assert.True(ex.HoldsSystem);
        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
        Assert.Contains(policy, ex.Message, StringComparison.Ordinal);
        Assert.Empty(_kit.Sandbox.All("contacts"));
    }

    [Fact]
    public async Task AnOutage_IsRetryable_AndAWrongTokenIsNot()
    {
        _kit.Sandbox.Down = true;
        var down = await Assert.ThrowsAsync<DeliveryFailedException>(() => _kit.Outbound.SendAsync(HubSpotKit.Delivery("customer", "rec_x", """{"email":"x@example.com"}"""), default));
        Assert.Equal(503, down.StatusCode);
        Assert.True(down.Retryable);
        _kit.Sandbox.Down = false;

        _kit.Sandbox.AccessToken = "another-token";
        var denied = await Assert.ThrowsAsync<DeliveryFailedException>(() => _kit.Outbound.SendAsync(HubSpotKit.Delivery("customer", "rec_x", """{"email":"x@example.com"}"""), default));
        Assert.Equal(401, denied.StatusCode);
        Assert.False(denied.Retryable);
        Assert.Contains("access_token", denied.Message, StringComparison.Ordinal);
        Assert.Contains("INVALID_AUTHENTICATION", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangingAnEmailToAnotherContactsEmail_IsAConflictNotWorthRetrying()
    {
        var a = _kit.Sandbox.Store.Create("contacts", new Dictionary<string, string?> { ["email"] = "a@example.com" }, DateTimeOffset.UtcNow);
        _kit.Sandbox.Store.Create("contacts", new Dictionary<string, string?> { ["email"] = "b@example.com" }, DateTimeOffset.UtcNow);
        var ex = await Assert.ThrowsAsync<DeliveryFailedException>(() => _kit.Outbound.SendAsync(HubSpotKit.Delivery("customer", "rec_a", """{"email":"b@example.com"}""", a.Id), default));
        Assert.Equal(409, ex.StatusCode);
        Assert.False(ex.Retryable);
        Assert.Equal("a@example.com", _kit.Sandbox.Get("contacts", a.Id)!["email"]);
    }
}
