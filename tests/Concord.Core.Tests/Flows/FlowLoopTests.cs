using Concord.Connectors;
using Concord.Core.Configuration;
using Concord.Core.Flows.Loops;
using static Concord.Core.Tests.Configuration.FlowConfigTests;

namespace Concord.Core.Tests.Flows;

/// <summary>
/// The static loop check: flows whose writes trigger each other are reported with their whole path, each cycle
/// once, unless the loop is declared; triggers narrowed by fields or by system break the chain.
/// </summary>
public sealed class FlowLoopTests
{
    private static List<ConfigProblem> Loops(string flows)
    {
        var loaded = ConfigLoader.Load(Base + flows);
        Assert.Empty(loaded.Problems);
        return [.. new ConfigValidator(new ConnectorCatalog()).Validate(loaded.Config).Where(p => p.Code == "flow-loop")];
    }

    private const string TwoFlows = """
        flows:
          a:
            trigger: { record: invoice, on: updated }
            steps:
              - update: { type: customer, record: "{{ invoice.customer }}", fields: { lifecycle_stage: billed } }
          b:
            trigger: { record: customer, on: changed, fields: [lifecycle_stage] }
            steps:
              - update: { type: invoice, record: "{{ customer.id }}", fields: { description: "{{ customer.lifecycle_stage }}" } }
        """;

    [Fact]
    public void Two_flows_that_write_what_the_other_reads_are_one_loop()
    {
        var problem = Assert.Single(Loops(TwoFlows));
        Assert.Equal(
            "flows trigger each other in a loop: flow 'a' writes customer.lifecycle_stage → flow 'b' (on customer.lifecycle_stage changed) writes invoice.description → flow 'a' (on invoice updated)",
            problem.Message);
        Assert.Equal(ProblemSeverity.Error, problem.Severity);
        Assert.Equal("flow-loop@28:79", Located(problem));
        Assert.Contains("loop: { until: … }", problem.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_declared_loop_is_not_reported()
    {
        var declared = TwoFlows.Replace(
            "    trigger: { record: customer, on: changed, fields: [lifecycle_stage] }",
            "    trigger: { record: customer, on: changed, fields: [lifecycle_stage] }\n    loop: { until: \"customer.lifecycle_stage == 'billed'\" }",
            StringComparison.Ordinal);
        Assert.NotEqual(TwoFlows, declared);
        Assert.Empty(Loops(declared));
    }

    [Fact]
    public void Three_flows_in_a_ring_are_one_loop_with_the_whole_path()
    {
        var problem = Assert.Single(Loops("""
            flows:
              a:
                trigger: { record: payment, on: created }
                steps:
                  - update: { type: invoice, record: "{{ payment.invoice }}", fields: { status: paid } }
              b:
                trigger: { record: invoice, on: changed, fields: [status, amount_paid] }
                steps:
                  - set: { type: customer, record: "{{ invoice.customer }}", fields: { notes: "paid {{ invoice.number }}" } }
              c:
                trigger: { record: customer, on: updated }
                steps:
                  - create: { type: payment, fields: { amount: 0, currency: EUR, status: noted } }
            """));
        Assert.Equal(
            "flows trigger each other in a loop: flow 'a' writes invoice.status → flow 'b' (on invoice.status changed) writes customer.notes → flow 'c' (on customer updated) writes payment.amount → flow 'a' (on payment created)",
            problem.Message);
    }

    [Fact]
    public void Changed_triggers_whose_fields_are_not_written_break_the_chain()
    {
        const string Flows = """
            flows:
              a:
                trigger: { record: invoice, on: changed, fields: [status] }
                steps:
                  - update: { type: customer, record: "{{ invoice.customer }}", fields: { notes: "{{ invoice.status }}" } }
              b:
                trigger: { record: customer, on: changed, fields: [WATCHED] }
                steps:
                  - update: { type: invoice, record: "{{ customer.id }}", fields: { description: x } }
              c:
                trigger: { record: invoice, on: deleted }
                steps:
                  - update: { type: customer, record: "{{ invoice.customer }}", fields: { email: x } }
            """;

        // b writes the invoice's description, a watches its status; c's trigger is never reached, as no step deletes.
        Assert.Empty(Loops(Flows.Replace("WATCHED", "email", StringComparison.Ordinal)));
        Assert.Single(Loops(Flows.Replace("WATCHED", "notes", StringComparison.Ordinal).Replace("[status]", "[status, description]", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("in: hubspot,", "from: hubspot", true)]
    [InlineData("", "from: hubspot", false)]
    [InlineData("in: quickbooks,", "from: [quickbooks]", false)]
    [InlineData("in: quickbooks,", "from: [quickbooks, hubspot]", false)]
    [InlineData("in: quickbooks,", "from: []", true)]
    public void A_trigger_from_a_system_is_reached_only_through_a_write_that_system_syncs_back(string writeIn, string from, bool loops)
    {
        var problems = Loops("""
            flows:
              a:
                trigger: { record: invoice, on: created }
                steps:
                  - update: { type: customer, WRITE_IN record: "{{ invoice.customer }}", fields: { lifecycle_stage: billed } }
              b:
                trigger: { record: customer, on: changed, fields: [lifecycle_stage], FROM }
                steps:
                  - create: { type: invoice, fields: { number: "{{ customer.id }}" } }
            """.Replace("WRITE_IN", writeIn, StringComparison.Ordinal).Replace("FROM", from, StringComparison.Ordinal));

        Assert.Equal(loops, problems.Count == 1);
        if (loops && writeIn.Contains("hubspot", StringComparison.Ordinal))
        {
            Assert.Equal(
                "flows trigger each other in a loop: flow 'a' writes customer.lifecycle_stage in hubspot → flow 'b' (on customer.lifecycle_stage changed from hubspot) writes invoice.number → flow 'a' (on invoice created)",
                problems[0].Message);
        }
    }

    [Fact]
    public void A_flow_that_writes_what_starts_it_is_not_a_loop()
    {
        Assert.Empty(Loops("""
            flows:
              tidy:
                trigger: { record: customer, on: updated }
                steps:
                  - set: { type: customer, record: "{{ customer.id }}", fields: { name: "{{ customer.name | trim }}" } }
            """));
    }

    [Fact]
    public void Every_cycle_is_reported_once()
    {
        // a ⇄ b, b ⇄ c and a → b → c → a: the cycles are a-b, b-c and a-b-c; c → b → a → c is not one (no a → c).
        var problems = Loops("""
            flows:
              a:
                trigger: { record: invoice, on: changed, fields: [status] }
                steps:
                  - update: { type: customer, record: x, fields: { notes: x } }
              b:
                trigger: { record: customer, on: changed, fields: [notes] }
                steps:
                  - update: { type: invoice, record: x, fields: { status: x } }
                  - update: { type: payment, record: x, fields: { method: x } }
              c:
                trigger: { record: payment, on: changed, fields: [method] }
                steps:
                  - update: { type: customer, record: x, fields: { notes: x } }
                  - update: { type: invoice, record: x, fields: { status: x } }
            """);

        Assert.Equal(
            [
                "flow 'a' writes customer.notes → flow 'b' (on customer.notes changed) writes invoice.status → flow 'a' (on invoice.status changed)",
                "flow 'a' writes customer.notes → flow 'b' (on customer.notes changed) writes payment.method → flow 'c' (on payment.method changed) writes invoice.status → flow 'a' (on invoice.status changed)",
                "flow 'b' writes payment.method → flow 'c' (on payment.method changed) writes customer.notes → flow 'b' (on customer.notes changed)",
            ],
            problems.Select(p => p.Message["flows trigger each other in a loop: ".Length..]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Johnson_finds_each_elementary_cycle_once()
    {
        // The complete graph on four nodes has C(4,2)·1! + C(4,3)·2! + C(4,4)·3! = 6 + 8 + 6 = 20 cycles.
        IReadOnlyList<int>[] complete = [[1, 2, 3], [0, 2, 3], [0, 1, 3], [0, 1, 2]];
        var cycles = ElementaryCycles.Find(complete);
        Assert.Equal(20, cycles.Count);
        Assert.Equal(20, cycles.Select(c => string.Join(",", c)).Distinct().Count());
        Assert.All(cycles, c => Assert.Equal(c.Min(), c[0]));

        // A chain with one back edge and a node off to the side; a self-edge is a cycle of one.
        IReadOnlyList<int>[] chain = [[1], [2], [3, 0], [], [4]];
        Assert.Equal(["0,1,2", "4"], ElementaryCycles.Find(chain).Select(c => string.Join(",", c)));

        Assert.Empty(ElementaryCycles.Find([[1], [2], []]));
        Assert.Equal(5, ElementaryCycles.Find(complete, limit: 5).Count);
    }
}
