using System.Text.Json.Nodes;
using Concord.Core.Configuration;
using Concord.Core.Flows.Model;

namespace Concord.Core.Tests.Configuration;

/// <summary>Reading <c>flows:</c>, <c>lookups:</c> and <c>hub.flows</c>: the model as written, and every shape problem located.</summary>
public class FlowConfigTests
{
    /// <summary>Systems and types the flows below refer to; 23 lines, so the first flow line is 24.</summary>
    internal const string Base = """
        version: 1
        systems:
          stripe: { kind: http, settings: { url: "http://127.0.0.1:9101/concord", webhook_secret: { env: STRIPE_SECRET } } }
          hubspot: { kind: http, settings: { url: "http://127.0.0.1:9102/concord", webhook_secret: { env: HUBSPOT_SECRET } } }
          quickbooks: { kind: http, settings: { url: "http://127.0.0.1:9103/concord" } }
          slack: { kind: slack, settings: { webhook_url: { env: SLACK_WEBHOOK } } }
        entities:
          customer:
            owner: hubspot
            identity: [email]
            fields:
              last_payment_date: { type: date }
              last_payment_amount: { type: money }
          invoice: { owner: stripe }
          payment: { owner: stripe }
        syncs:
          - { system: hubspot, type: customer, direction: two-way }
          - { system: stripe, type: invoice, direction: two-way }
          - { system: quickbooks, type: invoice, direction: push }
          - { system: stripe, type: payment, direction: pull }
          - { system: quickbooks, type: customer, direction: push }
        hub:
          flows: { max_depth: 7 }

        """;

    internal static string Located(ConfigProblem p) => $"{p.Code}@{p.At.Line}:{p.At.Column}";

    private static ConfigLoadResult Load(string flows) => ConfigLoader.Load(Base + flows);

    [Fact]
    public void The_specified_example_is_read_as_written()
    {
        var loaded = Load("""
            lookups:
              vat_rates: { NL: 21, BE: 21, DE: 19, note: "21", other: { rate: 9 } }
            flows:
              payment_to_books:
                description: "New Stripe payment → HubSpot contact → QuickBooks invoice → #finance"
                minutes_saved: 6
                concurrency: 2
                enabled: false
                trigger: { record: payment, on: created, from: stripe }
                when: "payment.status == 'succeeded'"
                loop: { until: "customer.synced_count > 3" }
                steps:
                  - id: contact
                    find: { type: customer, in: hubspot, where: { email: "{{ customer.email }}" }, required: true }
                  - update: { type: customer, record: "{{ steps.contact.id }}", in: hubspot,
                              fields: { last_payment_date: "{{ payment.paid_at | date }}", last_payment_amount: "{{ payment.amount }}" } }
                  - id: invoice
                    find_or_create: { type: invoice, in: quickbooks, match: [number],
                                      fields: { number: "{{ payment.number }}", customer: "{{ customer.id }}", amount: "{{ payment.amount }}" } }
                    retry: { attempts: 3, delay: 1s, max_delay: 1m }
                    on_error: continue
                  - notify: { via: slack, channel: "#finance", text: "Paid: {{ payment.amount | money(payment.currency) }} by {{ customer.name }}" }
            """);

        Assert.Empty(loaded.Problems);
        var config = loaded.Config;
        Assert.Equal(7, config.FlowSettings.MaxDepth);
        var vat = config.FlowSettings.Lookups["vat_rates"];
        Assert.Equal("""{"NL":21,"BE":21,"DE":19,"note":"21","other":{"rate":9}}""", new JsonObject(vat.Rows.Select(r => KeyValuePair.Create(r.Key, r.Value?.DeepClone()))).ToJsonString());
        Assert.Equal(new SourceSpan("concord.yaml", 25, 3), vat.At);

        var flow = Assert.Single(config.Flows.Values);
        Assert.Equal(("payment_to_books", 6d, 2, false), (flow.Name, flow.MinutesSaved, flow.Concurrency, flow.Enabled));
        Assert.Equal("New Stripe payment → HubSpot contact → QuickBooks invoice → #finance", flow.Description);
        var trigger = Assert.IsType<RecordTrigger>(flow.Trigger);
        Assert.Equal(("payment", RecordTriggerOn.Created, "stripe"), (trigger.Type, trigger.On, Assert.Single(trigger.From)));
        Assert.Empty(trigger.Fields);
        Assert.Equal("payment.status == 'succeeded'", flow.When!.Text);
        Assert.Equal(["payment.status"], flow.When.Expression.Paths);
        Assert.Equal("customer.synced_count > 3", flow.LoopUntil!.Text);
        Assert.Equal(new SourceSpan("concord.yaml", 27, 3), flow.At);

        Assert.Equal(["contact", "update_2", "invoice", "notify_4"], flow.Steps.Select(s => s.Id));
        Assert.Equal([StepAction.Find, StepAction.Update, StepAction.FindOrCreate, StepAction.Notify], flow.Steps.Select(s => s.Action));
        var find = flow.Steps[0];
        Assert.Equal("""{"type":"customer","in":"hubspot","where":{"email":"{{ customer.email }}"},"required":true}""", find.Args.ToJsonString());
        Assert.Equal(new SourceSpan("concord.yaml", 37, 55), find.ArgSpans["where.email"]);
        Assert.Equal(new SourceSpan("concord.yaml", 37, 33), find.ArgSpans["in"]);
        Assert.Equal(new SourceSpan("concord.yaml", 36, 9), find.At);
        Assert.Equal(StepRetry.Default, find.Retry);
        Assert.False(find.ContinueOnError);

        var invoice = flow.Steps[2];
        Assert.Equal("""["number"]""", invoice.Args["match"]!.ToJsonString());
        Assert.Equal(new SourceSpan("concord.yaml", 41, 66), invoice.ArgSpans["match.0"]);
        Assert.Equal(new SourceSpan("concord.yaml", 42, 37), invoice.ArgSpans["fields.number"]);
        Assert.Equal(new StepRetry(3, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)), invoice.Retry);
        Assert.True(invoice.ContinueOnError);
        Assert.Equal("#finance", flow.Steps[3].Text("channel"));
    }

    [Fact]
    public void Plain_scalars_become_booleans_numbers_and_null_and_everything_else_text()
    {
        var loaded = Load("""
            flows:
              typed:
                trigger: manual
                steps:
                  - http:
                      url: "http://127.0.0.1:9/{{ input.path }}"
                      body:
                        yes_flag: true
                        no_flag: False
                        quoted_flag: "true"
                        count: 42
                        negative: -1.50
                        exponent: 1e3
                        quoted_number: "42"
                        zip: 01234x
                        duration: 10m
                        date: 2026-03-01
                        nothing: null
                        empty:
                        list: [1, two, "3"]
                        nested: { a: { b: [true] } }
                        multi: |
                          line one
                          {{ input.name }}
            """);

        Assert.Empty(loaded.Problems);
        var body = loaded.Config.Flows["typed"].Steps[0].Args["body"]!;
        Assert.Equal(
            """{"yes_flag":true,"no_flag":false,"quoted_flag":"true","count":42,"negative":-1.50,"exponent":1000,"quoted_number":"42","zip":"01234x","duration":"10m","date":"2026-03-01","nothing":null,"empty":null,"list":[1,"two","3"],"nested":{"a":{"b":[true]}},"multi":"line one\n{{ input.name }}"}""",
            body.ToJsonString());
        var spans = loaded.Config.Flows["typed"].Steps[0].ArgSpans;
        Assert.Equal(new SourceSpan("concord.yaml", 43, 23), spans["body.list.1"]);
        Assert.Equal(new SourceSpan("concord.yaml", 44, 32), spans["body.nested.a.b.0"]);
    }

    [Fact]
    public void Step_ids_default_to_the_action_and_position_among_all_steps_branches_included()
    {
        var loaded = Load("""
            flows:
              branches:
                trigger: { manual: true }
                steps:
                  - if: "input.amount > 1000"
                    then:
                      - notify: { via: slack, text: "large" }
                      - id: approval
                        wait: 2h
                    else:
                      - notify: { via: slack, text: "small" }
                  - wait: { until: "{{ input.due }}" }
                  - lookup: { rows: { NL: 21 }, key: "{{ input.country }}", default: 0 }
                    when: "input.country != null"
            """);

        Assert.Empty(loaded.Problems);
        var flow = loaded.Config.Flows["branches"];
        Assert.IsType<ManualTrigger>(flow.Trigger);
        Assert.Equal(["if_1", "notify_2", "approval", "notify_4", "wait_5", "lookup_6"], flow.AllSteps().Select(s => s.Id));
        var branch = flow.Steps[0];
        Assert.Equal((StepAction.If, "input.amount > 1000"), (branch.Action, branch.When!.Text));
        Assert.Empty(branch.Args);
        Assert.Equal("""{"for":"2h"}""", branch.Then[1].Args.ToJsonString());
        Assert.Equal("""{"rows":{"NL":21},"key":"{{ input.country }}","default":0}""", flow.Steps[2].Args.ToJsonString());
        Assert.Equal("input.country != null", flow.Steps[2].When!.Text);
    }

    [Fact]
    public void Webhook_schedule_and_manual_triggers_are_read()
    {
        var loaded = Load("""
            flows:
              hook:
                trigger: { webhook: { secret: { env: HOOK_SECRET } } }
                steps: [ { notify: { via: slack, text: "{{ body.text }}" } } ]
              nightly:
                trigger: { schedule: "30 2 * * MON-FRI", timezone: Europe/Amsterdam }
                steps: [ { notify: { via: slack, text: "night" } } ]
              hourly:
                trigger: { schedule: "@hourly" }
                steps: [ { notify: { via: slack, text: "hour" } } ]
              by-hand:
                trigger: manual
                steps: [ { notify: { via: slack, text: "hand" } } ]
              changes:
                trigger: { record: customer, on: changed, fields: [email, name], from: [hubspot] }
                steps: [ { notify: { via: slack, text: "changed" } } ]
            """);

        Assert.Empty(loaded.Problems);
        var flows = loaded.Config.Flows;
        var hook = Assert.IsType<WebhookTrigger>(flows["hook"].Trigger);
        Assert.Equal(("HOOK_SECRET", new SourceSpan("concord.yaml", 26, 35)), (hook.Secret.EnvironmentVariable, hook.Secret.At));
        var nightly = Assert.IsType<ScheduleTrigger>(flows["nightly"].Trigger);
        Assert.Equal(("30 2 * * MON-FRI", "Europe/Amsterdam"), (nightly.Cron.Text, nightly.Zone.Id));
        Assert.Equal(TimeZoneInfo.Utc, Assert.IsType<ScheduleTrigger>(flows["hourly"].Trigger).Zone);
        Assert.IsType<ManualTrigger>(flows["by-hand"].Trigger);
        var changes = Assert.IsType<RecordTrigger>(flows["changes"].Trigger);
        Assert.Equal((RecordTriggerOn.Changed, "email,name", "hubspot"), (changes.On, string.Join(",", changes.Fields), Assert.Single(changes.From)));
        Assert.Equal(["hook", "nightly", "hourly", "by-hand", "changes"], flows.Keys);
    }

    [Fact]
    public void Shape_mistakes_are_located_with_a_code_and_a_hint()
    {
        var loaded = Load("""
            hub_flows: 1
            lookups:
              Rates: [1, 2]
            flows:
              Bad Name:
                trigger: manual
                steps: [ { notify: { via: slack, text: x } } ]
              no_trigger:
                steps: [ { notify: { via: slack, text: x } } ]
              two_forms:
                trigger: { record: payment, on: created, schedule: "* * * * *" }
                steps: []
              bad_record:
                trigger: { record: customer, on: create, fields: [email] }
                concurrency: 100
                minutes_saved: -1
              changed_without_fields:
                trigger: { record: customer, on: changed }
                steps: [ { notfy: { via: slack, text: x } } ]
              inline_secret:
                trigger: { webhook: { secret: s3cret } }
                steps:
                  - find: { type: customer }
                  - find: { type: customer, where: { email: x }, required: maybe }
                  - create: { type: invoice, fields: { number: "1" }, await: none }
                  - { find: { type: customer, where: { email: x } }, create: { type: customer, fields: { email: x } } }
                  - { id: Step-1, wait: 0s }
                  - http: { url: "http://x", method: FETCH, expect: [200, 700], timeout: soon, header: {} }
                  - lookup: { table: t, rows: { a: 1 }, key: a }
                  - upsert: { type: invoice, fields: { number: "1" }, match: [numbr] }
                    retry: { attempts: 50, delay: 10m, max_delay: 1m }
                    on_error: ignore
                  - if: "input.x"
                  - wait: { for: 5m, until: "2026-01-01" }
              bad_schedule:
                trigger: { schedule: "61 * * * *", timezone: Mars/Olympus }
                steps: [ { notify: { via: slack, text: x } } ]
              loop_without_until:
                trigger: manual
                loop: { while: x }
                steps: [ { notify: { via: slack, text: x } } ]
            """);

        Assert.Equal(
            [
                "unknown-key@24:1",
                "bad-name@26:3", "expected-mapping@26:10",
                "bad-name@28:3",
                "flow-trigger@31:3",
                "flow-trigger@34:14", "flow-steps@35:12",
                "flow-trigger@37:38", "flow-steps@36:3", "expected-number@39:20", "expected-integer@38:18",
                "flow-trigger@41:38", "unknown-key@42:16",
                "inline-secret@44:35",
                "missing-argument@46:9",
                "expected-boolean@47:64",
                "bad-argument@48:66",
                "step-action@49:9",
                "bad-name@50:15", "bad-argument@50:29",
                "unknown-key@51:84", "bad-argument@51:42", "bad-argument@51:63", "expected-duration@51:78",
                "missing-argument@52:9",
                "bad-argument@53:67",
                "expected-integer@54:28", "bad-retry@54:16",
                "bad-argument@55:19",
                "step-action@56:9",
                "missing-argument@57:9",
                "bad-schedule@59:26", "unknown-timezone@59:50",
                "unknown-key@63:13", "missing-argument@63:11",
            ],
            loaded.Problems.Select(Located));
        Assert.All(loaded.Problems, p => Assert.Equal("concord.yaml", p.At.File));
        Assert.Contains("did you mean 'notify'?", loaded.Problems.Single(p => p.Message.Contains("'notfy'", StringComparison.Ordinal)).Hint, StringComparison.Ordinal);
        Assert.Contains("did you mean 'created'?", loaded.Problems.Single(p => p.Message.Contains("'create'", StringComparison.Ordinal)).Hint, StringComparison.Ordinal);
        Assert.Equal("flow 'bad_schedule': minute field: 61 is out of range: use 0-59", loaded.Problems.Single(p => p.Code == "bad-schedule").Message);
        Assert.Equal("flow 'inline_secret', step 'upsert_8': match field 'numbr' is not written under `fields:`, so there is no value to match on",
            loaded.Problems.Single(p => p.Message.Contains("numbr", StringComparison.Ordinal)).Message);
    }

    [Fact]
    public void Expression_mistakes_are_reported_where_they_were_typed()
    {
        var loaded = Load("""
            flows:
              exprs:
                trigger: manual
                when: input.amount >
                steps:
                  - notify:
                      via: slack
                      text: Paid {{ payment.amount | mony }}
                  - notify: { via: slack, text: "Paid \"{{ x }}\" {{ payment.amount | mony }}" }
                  - notify: { via: slack, text: 'It''s {{ x | mony }}' }
                  - notify:
                      via: slack
                      text: |
                        Hello {{ customer.name }},
                          total {{ payment.amount | mony }} and {{ today }}
                  - id: check
                    http: { url: "http://x/{{ (x }}" }
                    when: "not (x"
                  - notify: { via: slack, text: ok }
                    when: >
                      payment.amount > 10 and
                      payment.status | mony
                  - notify: { via: slack, text: ok }
                    when: "payment.amount > 10 and
                      payment.status | mony"
                  - http: { url: }
                  - wait: { for: [1m] }
            """);

        Assert.Equal(
            [
                "bad-expression@27:25",
                "bad-expression@31:42",
                "bad-expression@32:75",
                "bad-expression@33:51",
                "bad-expression@38:41", "bad-expression@38:56",
                "bad-expression@40:38",
                "bad-expression@41:22",
                "bad-expression@45:28",
                "bad-expression@48:28",
                "missing-argument@49:22",
                "expected-value@50:22",
            ],
            loaded.Problems.Select(Located));
        Assert.Equal("flow 'exprs', step 'notify_1': unknown filter 'mony' (did you mean 'money'?)", loaded.Problems[1].Message);
        Assert.Equal("in text; see the expression reference in docs/flows.md", loaded.Problems[1].Hint);
        Assert.StartsWith("flow 'exprs': ", loaded.Problems[0].Message, StringComparison.Ordinal);
        Assert.Equal("flow 'exprs', step 'notify_4': 'today' is a function: write today()", loaded.Problems[5].Message);
        Assert.StartsWith("flow 'exprs', step 'check': ", loaded.Problems[7].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_top_level_key_near_flows_suggests_it()
    {
        var problem = Assert.Single(ConfigLoader.Load("version: 1\nflow: {}\n").Problems);
        Assert.Equal("unknown-key", problem.Code);
        Assert.StartsWith("did you mean 'flows'?", problem.Hint, StringComparison.Ordinal);
    }
}
