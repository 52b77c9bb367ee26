using System.Text.Json.Nodes;
using Concord.Sandboxes.Slack;
using Concord.Sandboxes.Smtp;
using Concord.Testing;

namespace Concord.Acceptance.Tests;

/// <summary>
/// One alert rule against the sandboxes: how to bring its cause about, how to clear it, and what its
/// messages name. A rule is added to the acceptance tests with one of these.
/// </summary>
/// <param name="Rule">The rule as written under <c>alerts.rules</c> (one YAML flow mapping).</param>
/// <param name="Provoke">Brings the cause about.</param>
/// <param name="Clear">Makes it go away.</param>
/// <param name="Names">Text every message about the incident carries (the subject, e.g. <c>system stripe</c>).</param>
/// <param name="Sections">More top-level configuration the rule needs (e.g. <c>health: { every: 10s }</c>).</param>
/// <param name="Opening">A pattern the opening message must match: what the incident said when it opened, before its cause began to clear.</param>
internal sealed record AlertScenario(string Rule, Func<AlertStackRig, Task> Provoke, Func<AlertStackRig, Task> Clear, string Names, string Sections = "", string? Opening = null);

/// <summary>
/// The real hub against the Stripe, QuickBooks and Slack sandboxes and an SMTP sandbox, with two alert
/// channels (Slack and email) and the one rule under test, evaluated every 300 ms. Stripe gives up a
/// delivery after three attempts, and its circuit opens after three failures in a row.
/// </summary>
internal sealed class AlertStackRig : IAsyncDisposable
{
    private static readonly Dictionary<string, string> Secrets = new(VendorStack.Secrets) { ["CRM_SECRET"] = "crm-secret" };

    private AlertStackRig()
    {
    }

    public VendorStack Stack { get; } = new();

    public SmtpSandbox Smtp { get; } = new();

    public HubHarness Hub { get; private set; } = null!;

    /// <summary>Messages the hub posted to the alert channel in Slack.</summary>
    public IReadOnlyList<SlackMessage> SlackAlerts => Stack.Slack.Messages(SlackSandbox.GeneralId);

    /// <summary>Emails the hub sent to the alert address.</summary>
    public IReadOnlyList<SmtpSandboxMessage> Emails => Smtp.Messages;

    public static async Task<AlertStackRig> StartAsync(string rule, string sections = "")
    {
        var rig = new AlertStackRig();
        await rig.Stack.StartAsync();
        await rig.Smtp.StartAsync();
        rig.Hub = await rig.Stack.StartHubAsync(rig.Yaml(rule) + "\n" + sections, Secrets);
        return rig;
    }

    private string Yaml(string rule) => $$"""
        version: 1
        systems:
          crm: { kind: webhook, settings: { secret: { env: CRM_SECRET } } }
          stripe:
            kind: stripe
            settings:
              base_url: {{Stack.Stripe.Url}}
              api_key: { env: STRIPE_KEY }
              webhook_secret: { env: STRIPE_WHSEC }
              poll_interval: 500ms
            retry: { max_attempts: 3, initial_delay: 50ms, max_delay: 200ms }
            circuit_breaker: { failure_threshold: 3, break_duration: 1s }
          quickbooks:
            kind: quickbooks
            settings:
              base_url: {{Stack.QuickBooks.Url}}
              token_url: {{Stack.QuickBooks.TokenUrl}}
              client_id: {{Stack.QuickBooks.ClientId}}
              client_secret: { env: QB_SECRET }
              refresh_token: { env: QB_REFRESH }
              realm_id: "{{Stack.QuickBooks.RealmId}}"
            retry: { max_attempts: 30, initial_delay: 100ms, max_delay: 1s }
          slack:
            kind: slack
            settings:
              base_url: {{Stack.Slack.ApiUrl}}
              bot_token: { env: SLACK_TOKEN }
              channel: {{SlackSandbox.GeneralId}}
          mail:
            kind: smtp
            settings: { host: {{Smtp.Host}}, port: {{Smtp.Port}}, from: "Concord <hub@example.com>" }
        entities:
          customer: { owner: crm, identity: [email], fill_in: true }
          subscription: { owner: stripe }
        syncs:
          - { system: crm, type: customer, direction: pull }
          - { system: stripe, type: customer, direction: two-way, fields: [name, email] }
          - { system: stripe, type: subscription, direction: pull }
          - { system: quickbooks, type: customer, direction: push, fields: [name, email] }
        alerts:
          every: 300ms
          channels:
            ops-slack: { via: slack }
            ops-email: { via: mail, to: ops@example.com }
          rules:
            - {{rule}}
        """;

    /// <summary>A customer arrives from the CRM (and is delivered to Stripe and QuickBooks).</summary>
    public async Task PostCustomerAsync(string id, string email)
    {
        var json = new JsonObject { ["type"] = "customer", ["external_id"] = id, ["fields"] = new JsonObject { ["email"] = email, ["name"] = "Customer " + id } };
        using var response = await Hub.PostChangesAsync("crm", json.ToJsonString());
        Assert.True(response.IsSuccessStatusCode, $"posting {id} answered {(int)response.StatusCode}");
    }

    /// <summary>Replays every dead delivery (after the cause of their failure is fixed).</summary>
    public async Task ReplayDeadAsync()
    {
        foreach (var dead in (await Hub.GetJsonAsync("/api/v1/deliveries?status=dead")).AsArray())
        {
            using var response = await Hub.Http.PostAsync($"{Hub.Url}/api/v1/deliveries/{(long)dead!["id"]!}/replay", null);
            Assert.True(response.IsSuccessStatusCode, $"replay answered {(int)response.StatusCode}");
        }
    }

    /// <summary>Waits until a dead delivery to <paramref name="system"/> exists.</summary>
    public Task DeadDeliveryAsync(string system) =>
        Eventually.TrueAsync(async () => (await Hub.GetJsonAsync($"/api/v1/deliveries?status=dead&system={system}")).AsArray().Count > 0, $"a dead delivery to {system}");

    /// <summary>
    /// Provokes the scenario's cause and checks that exactly one message reaches Slack and one reaches the
    /// mailbox, then clears it and checks for exactly one resolution at each; both stay at that after more
    /// evaluations. Returns the incident as the API shows it at the end.
    /// </summary>
    public async Task<JsonNode> RunAsync(AlertScenario scenario)
    {
        await scenario.Provoke(this);
        var incident = await Eventually.GetAsync(async () =>
            (await Hub.GetJsonAsync("/api/v1/incidents?status=open")).AsArray().FirstOrDefault(), "an open incident", TimeSpan.FromSeconds(30));
        var id = (string)incident!["id"]!;
        await Eventually.TrueAsync(() => Task.FromResult(SlackAlerts.Count >= 1 && Emails.Count >= 1), "the opening at Slack and by email", TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var opened = Assert.Single(SlackAlerts);
        var mail = Assert.Single(Emails);
        Assert.Contains(":rotating_light:", opened.Text, StringComparison.Ordinal);
        Assert.Contains(scenario.Names, opened.Text, StringComparison.Ordinal);
        Assert.Contains($"/api/v1/incidents/{id}", opened.Text, StringComparison.Ordinal);
        if (scenario.Opening is { } opening)
        {
            Assert.Matches(opening, opened.Text);
        }
        Assert.Equal(["ops@example.com"], mail.Recipients);
        Assert.StartsWith("[Concord] ", mail.Subject, StringComparison.Ordinal);
        Assert.Contains(scenario.Names, mail.Subject, StringComparison.Ordinal);
        Assert.Contains($"/api/v1/incidents/{id}", mail.Text, StringComparison.Ordinal);
        Assert.Single((await Hub.GetJsonAsync("/api/v1/incidents")).AsArray());

        // Someone is on it: an acknowledgement stops nothing from resolving.
        using (var ack = await Hub.Http.PostAsync($"{Hub.Url}/api/v1/incidents/{id}/ack",
            new StringContent("""{"by":"ann","note":"looking"}""", System.Text.Encoding.UTF8, "application/json")))
        {
            var acked = JsonNode.Parse(await ack.Content.ReadAsStringAsync())!;
            Assert.Equal(("acknowledged", "ann", "looking"), ((string?)acked["status"], (string?)acked["acknowledged_by"], (string?)acked["acknowledgement_note"]));
        }

        Assert.Single((await Hub.GetJsonAsync("/api/v1/incidents?status=acknowledged")).AsArray());
        await scenario.Clear(this);
        await Eventually.TrueAsync(() => Task.FromResult(SlackAlerts.Count >= 2 && Emails.Count >= 2), "the resolution at Slack and by email", TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(2, SlackAlerts.Count);
        Assert.Equal(2, Emails.Count);
        Assert.Contains(":white_check_mark: Resolved", SlackAlerts[1].Text, StringComparison.Ordinal);
        Assert.Contains(scenario.Names, SlackAlerts[1].Text, StringComparison.Ordinal);
        Assert.StartsWith("[Concord] Resolved after ", Emails[1].Subject, StringComparison.Ordinal);

        var detail = await Hub.GetJsonAsync($"/api/v1/incidents/{id}");
        Assert.Equal("resolved", (string?)detail["incident"]!["status"]);
        var notifications = detail["notifications"]!.AsArray();
        Assert.Equal(4, notifications.Count);
        Assert.All(notifications, n => Assert.Equal("sent", (string?)n!["status"]));
        Assert.Single((await Hub.GetJsonAsync("/api/v1/incidents")).AsArray());
        var log = (await Hub.GetJsonAsync($"/api/v1/log?correlation={id}")).AsArray();
        Assert.Equal(4, log.Count(l => (string?)l!["result"] == "succeeded"));
        return detail;
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Smtp.DisposeAsync();
        await Stack.DisposeAsync();
    }
}
