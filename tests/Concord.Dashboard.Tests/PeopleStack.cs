using System.Net;
using Concord.Core.Records;
using Concord.Sandboxes.Stripe;
using Concord.Testing;

namespace Concord.Dashboard.Tests;

/// <summary>
/// What the Customer 360 tests share: a hub where <c>crm</c> owns customers, companies and invoices (sent through the
/// changes API) and every customer is pushed to a Stripe sandbox through the real Stripe connector, so records have
/// links in two systems, deliveries, and a Stripe id to search for.
/// </summary>
public sealed class PeopleStack : IAsyncDisposable
{
    private PeopleStack(StripeSandbox stripe, DashboardRig rig)
    {
        Stripe = stripe;
        Rig = rig;
    }

    public StripeSandbox Stripe { get; }

    public DashboardRig Rig { get; }

    public HubHarness Hub => Rig.Hub;

    public static async Task<PeopleStack> StartAsync()
    {
        var stripe = new StripeSandbox("stripe", "sk_test_people", "whsec_people");
        await stripe.StartAsync();
        var yaml = $$"""
            version: 1
            systems:
              crm:
                kind: http
                settings:
                  url: http://127.0.0.1:9/crm
                  webhook_secret: { env: CRM_WEBHOOK_SECRET }
              stripe:
                kind: stripe
                settings:
                  base_url: {{stripe.Url}}
                  api_key: { env: STRIPE_KEY }
                  poll_interval: 1h
                retry: { max_attempts: 10, initial_delay: 50ms, max_delay: 500ms }
            entities:
              customer: { owner: crm, identity: [email] }
              company: { owner: crm, identity: [domain] }
              invoice: { owner: crm }
            syncs:
              - { system: crm, type: customer, direction: pull }
              - { system: crm, type: company, direction: pull }
              - { system: crm, type: invoice, direction: pull }
              - { system: stripe, type: customer, direction: push }
            """;
        var secrets = new Dictionary<string, string>(TestConfigs.Secrets) { ["STRIPE_KEY"] = stripe.ApiKey };
        return new PeopleStack(stripe, await DashboardRig.StartAsync(yaml, secrets));
    }

    /// <summary>Posts one change from the CRM through the changes API.</summary>
    public async Task PostAsync(string type, string externalId, string fields)
    {
        using var posted = await Hub.PostChangesAsync("crm", $$"""{"type":"{{type}}","external_id":"{{externalId}}","fields":{{fields}}}""");
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
    }

    /// <summary>The customer with <paramref name="email"/>, once Stripe has it too, and its id in Stripe.</summary>
    public async Task<(GoldenRecord Record, string StripeId)> CustomerInStripeAsync(string email)
    {
        var found = await Eventually.GetAsync(async () =>
        {
            var record = (await Hub.Store.SearchAsync("customer", email, 2, default)).SingleOrDefault();
            var stripe = record is null ? null : (await Hub.Store.GetLinksAsync(record.Id, default)).FirstOrDefault(l => l.System == "stripe");
            return record is null || stripe is null ? null : Tuple.Create(record, stripe.ExternalId);
        }, $"{email} in Stripe");
        return (found!.Item1, found.Item2);
    }

    public async ValueTask DisposeAsync()
    {
        await Rig.DisposeAsync();
        await Stripe.DisposeAsync();
    }
}
