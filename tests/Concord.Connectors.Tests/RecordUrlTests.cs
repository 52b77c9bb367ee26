using Concord.Core.Configuration;

namespace Concord.Connectors.Tests;

/// <summary>
/// Where a record opens in its vendor's own app (the dashboard's "open in" links), and <c>concord validate</c> on the
/// HubSpot account id those links need.
/// </summary>
public sealed class RecordUrlTests
{
    private static HubConfig Load(string hubspotSettings, string file = "hub.yaml")
    {
        var yaml = $$"""
            version: 1
            systems:
              hubspot:
                kind: hubspot
                settings:
                  access_token: { env: HS_TOKEN }
            {{hubspotSettings}}
              stripe: { kind: stripe, settings: { api_key: { env: STRIPE_KEY } } }
              books: { kind: quickbooks, settings: { client_id: abc, client_secret: { env: QB_SECRET }, refresh_token: { env: QB_REFRESH }, realm_id: "123" } }
            entities:
              customer: { owner: hubspot }
              deal: { owner: hubspot }
            syncs:
              - { system: hubspot, type: customer, direction: two-way }
              - { system: hubspot, type: deal, direction: two-way }
              - { system: stripe, type: customer, direction: push }
            """;
        var loaded = ConfigLoader.Load(yaml, file);
        Assert.Empty(loaded.Problems);
        return loaded.Config;
    }

    private static string? Url(HubConfig config, string system, string type, string id)
    {
        var s = config.Systems[system];
        return new ConnectorCatalog().Find(s.Kind)!.RecordUrl?.Invoke(s, type, id);
    }

    [Fact]
    public void Stripe_QuickBooks_AndHubSpotWithItsAccount_HaveStableAddresses()
    {
        var config = Load("      portal_id: \"4417852\"");
        Assert.Equal("https://dashboard.stripe.com/customers/cus_N1", Url(config, "stripe", "customer", "cus_N1"));
        Assert.Equal("https://dashboard.stripe.com/invoices/in_9", Url(config, "stripe", "invoice", "in_9"));
        Assert.Equal("https://dashboard.stripe.com/subscriptions/sub_2", Url(config, "stripe", "subscription", "sub_2"));
        Assert.Equal("https://dashboard.stripe.com/payments/pi_3", Url(config, "stripe", "payment", "pi_3"));
        Assert.Equal("https://app.qbo.intuit.com/app/customerdetail?nameId=58", Url(config, "books", "customer", "58"));
        Assert.Null(Url(config, "books", "invoice", "130"));
        Assert.Equal("https://app.hubspot.com/contacts/4417852/record/0-1/501", Url(config, "hubspot", "customer", "501"));
        Assert.Equal("https://app.hubspot.com/contacts/4417852/record/0-3/77", Url(config, "hubspot", "deal", "77"));

        // An id is a path segment, never more.
        Assert.Equal("https://dashboard.stripe.com/customers/a%2F..%2Fb", Url(config, "stripe", "customer", "a/../b"));
    }

    [Fact]
    public void HubSpot_FollowsCustomersOntoCompanies_AndHasNoAddressWithoutItsAccount()
    {
        Assert.Equal("https://app.hubspot.com/contacts/4417852/record/0-2/9",
            Url(Load("      portal_id: \"4417852\"\n      customer_object: companies"), "hubspot", "customer", "9"));
        Assert.Null(Url(Load(""), "hubspot", "customer", "501"));
    }

    [Fact]
    public void ABadPortalId_IsReportedAtItsLine()
    {
        var config = Load("      portal_id: app.hubspot.com/4417852");
        var problem = Assert.Single(new ConfigValidator(new ConnectorCatalog()).Validate(config), p => p.Severity == ProblemSeverity.Error);
        Assert.Equal("bad-setting", problem.Code);
        Assert.Equal("hub.yaml", problem.At.File);
        Assert.Equal(7, problem.At.Line);
        Assert.Equal("systems.hubspot.settings.portal_id must be the account's number, e.g. 4417852, not 'app.hubspot.com/4417852'", problem.Message);
    }
}
