using Concord.Connectors;
using Concord.Core.Configuration;
using static Concord.Core.Tests.Configuration.FlowConfigTests;

namespace Concord.Core.Tests.Configuration;

/// <summary>Flows checked against the rest of the file: types, fields, systems, tables, notify arguments and step references.</summary>
public class FlowChecksTests
{
    /// <summary>
    /// The shipped catalog where only Slack notifies, with the arguments it declares (channel, text; text
    /// required), so these checks do not depend on which other kinds can notify.
    /// </summary>
    internal sealed class NotifyingCatalog : IConnectorCatalog
    {
        public NotifyingCatalog()
        {
            Kinds = new ConnectorCatalog().Kinds
                .Select(k => k.Kind == "slack"
                    ? k with { NotifyArguments = ["channel", "text"], NotifyRequires = ["text"] }
                    : k with { NotifyArguments = [], NotifyRequires = [] })
                .ToArray();
        }

        public IReadOnlyCollection<ConnectorDescriptor> Kinds { get; }

        public ConnectorDescriptor? Find(string kind) => Kinds.FirstOrDefault(k => k.Kind == kind);
    }

    private static List<ConfigProblem> Check(string flows, IConnectorCatalog? catalog = null, Func<string, string?>? environment = null)
    {
        var loaded = ConfigLoader.Load(Base + flows);
        Assert.Empty(loaded.Problems);
        return [.. new ConfigValidator(catalog ?? new NotifyingCatalog()).Validate(loaded.Config, environment)];
    }

    private const string Example = """
        lookups:
          vat_rates: { NL: 21 }
        flows:
          payment_to_books:
            trigger: { record: payment, on: created, from: stripe }
            when: "payment.status == 'succeeded'"
            steps:
              - id: contact
                find: { type: customer, in: hubspot, where: { email: "{{ customer.email }}" }, required: true }
              - update: { type: customer, record: "{{ steps.contact.id }}", in: hubspot,
                          fields: { last_payment_date: "{{ payment.paid_at | date }}", last_payment_amount: "{{ payment.amount }}" } }
              - id: invoice
                find_or_create: { type: invoice, in: quickbooks, match: [number],
                                  fields: { number: "{{ payment.number }}", customer: "{{ customer.id }}", amount: "{{ payment.amount }}" } }
              - id: vat
                lookup: { table: vat_rates, key: "{{ customer.country }}", default: 0 }
              - notify: { via: slack, channel: "#finance", text: "Paid: {{ payment.amount | money(payment.currency) }} by {{ customer.name }} ({{ steps.vat.value }}% VAT, invoice {{ steps.invoice.number }})" }
        """;

    [Fact]
    public void The_specified_example_passes_every_check()
    {
        Assert.Empty(Check(Example));
    }

    [Fact]
    public void A_notify_through_a_kind_that_cannot_notify_is_refused_naming_the_systems_that_can()
    {
        var problems = Check("""
            flows:
              tell:
                trigger: manual
                steps:
                  - notify: { via: quickbooks, text: hello }
            """);

        var problem = Assert.Single(problems);
        Assert.Equal("cannot-notify@28:19", Located(problem));
        Assert.Equal("flow 'tell', step 'notify_1': 'quickbooks' is a http system, which cannot send notifications", problem.Message);
        Assert.Equal("systems here that can: slack", problem.Hint);
    }

    [Fact]
    public void Names_that_do_not_exist_are_located_with_a_hint()
    {
        var problems = Check("""
            flows:
              wrong_trigger:
                trigger: { record: paymnt, on: created }
                steps: [ { notify: { via: slack, text: x } } ]
              wrong_names:
                trigger: { record: customer, on: changed, fields: [emial], from: [hubspot, quickbooks, crm] }
                steps:
                  - find: { type: customer, in: stripe, where: { emial: x } }
                  - create: { type: invoice, in: stripe, fields: { number: "1", amout: 2 } }
                  - update: { type: payment, record: "{{ x }}", in: quickbooks, fields: { amount: 1 } }
                  - upsert: { type: invoice, in: crm, fields: { number: "1" }, match: [number] }
                  - notify: { via: slack, txt: x }
                  - lookup: { table: vat, key: x }
                  - draft_invoice: { text: "{{ input.text }}", type: client }
                  - set: { type: widget, record: x, fields: { a: 1 } }
                  - find_or_create: { type: company, fields: { name: x } }
                  - find_or_create: { type: payment, fields: { amount: 1 } }
            """);

        Assert.Equal(
            [
                "unknown-type@26:14",
                "unknown-field@29:14", "from-not-synced@29:14", "unknown-system@29:14",
                "unknown-field@31:54", "in-not-synced@31:33",
                "unknown-field@32:69",
                "in-not-synced@33:53",
                "unknown-system@34:34",
                "unknown-argument@35:31", "missing-argument@35:9",
                "unknown-lookup@36:19",
                "unknown-type@37:52",
                "unknown-type@38:16",
                "unknown-type@39:27",
                "missing-argument@40:9",
            ],
            problems.Select(Located));
        Assert.Equal("flow 'wrong_trigger': the trigger: unknown entity type 'paymnt'", problems[0].Message);
        Assert.Equal("did you mean 'payment'?", problems[0].Hint);
        Assert.Equal("did you mean 'email'?", problems[1].Hint);
        Assert.Equal("add `- { system: quickbooks, type: customer, direction: pull }` (or two-way) under syncs, or leave 'quickbooks' out of from", problems[2].Hint);
        Assert.Equal("flow 'wrong_names', step 'update_3': writes payment in 'quickbooks', but 'quickbooks' does not receive payment (no push or two-way sync rule)", problems[7].Message);
        Assert.Equal("did you mean 'text'? arguments: via, channel, text", problems[9].Hint);
        Assert.Equal("add `company: { owner: <system> }` under entities", problems[14].Hint);
        Assert.Equal("flow 'wrong_names', step 'find_or_create_10': find_or_create needs `match:`, since payment has no identity keys to match on", problems[15].Message);
    }

    [Fact]
    public void Steps_read_only_steps_that_have_run_and_ids_are_unique()
    {
        var problems = Check("""
            flows:
              refs:
                trigger: manual
                when: "steps.a.id != null"
                steps:
                  - id: a
                    notify: { via: slack, text: "{{ steps.b.text }}" }
                  - id: b
                    if: "steps.a.status == 'ok' and steps.c.status"
                    then:
                      - id: c
                        notify: { via: slack, text: "{{ steps.a.status }} {{ steps.b }}" }
                    else:
                      - id: d
                        notify: { via: slack, text: "{{ steps.c.status }} {{ steps.aa.status }}" }
                  - id: a
                    notify: { via: slack, text: "{{ steps.c.status ?? steps.d.status }}, {{ run.id }}" }
            """);

        Assert.Equal(
            [
                "duplicate-step@39:9",
                "unknown-step@27:11",
                "unknown-step@30:31",
                "unknown-step@32:13",
                "unknown-step@35:35",
                "unknown-step@38:35", "unknown-step@38:35",
            ],
            problems.Select(Located));
        Assert.Equal("flow 'refs': steps.a.id reads step 'a', which has not run at this point", problems[1].Message);
        Assert.Equal("no step runs before this point", problems[1].Hint);
        Assert.Equal("flow 'refs', step 'a': steps.b.text reads step 'b', which has not run at this point", problems[2].Message);
        Assert.Equal("flow 'refs', step 'b': steps.c.status reads step 'c', which has not run at this point", problems[3].Message);
        Assert.Equal("flow 'refs', step 'c': steps.b reads step 'b', which has not run at this point", problems[4].Message);
        Assert.Equal("flow 'refs', step 'd': steps.c.status reads step 'c', which has not run at this point", problems[5].Message);
        Assert.Equal("flow 'refs', step 'd': steps.aa.status names no step of the flow", problems[6].Message);
        Assert.Equal("did you mean 'a'? steps that have run here: a", problems[6].Hint);
    }

    [Fact]
    public void A_webhook_secret_variable_must_be_set_when_the_environment_is_checked()
    {
        const string Flow = """
            flows:
              hook:
                trigger: { webhook: { secret: { env: HOOK_SECRET } } }
                steps: [ { notify: { via: slack, text: "{{ body.text }}" } } ]
            """;
        string? Environment(string name) => name == "HOOK_SECRET" ? null : "set";

        Assert.Empty(Check(Flow));
        var problem = Assert.Single(Check(Flow, environment: Environment));
        Assert.Equal("secret-unset@26:35", Located(problem));
        Assert.Equal("environment variable HOOK_SECRET (flow 'hook': the webhook secret) is not set", problem.Message);
    }
}
