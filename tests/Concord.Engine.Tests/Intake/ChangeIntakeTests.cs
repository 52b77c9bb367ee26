using System.Text;
using Concord.Core.Sync;
using Concord.Engine.Intake;
using Concord.Testing;

namespace Concord.Engine.Tests.Intake;

/// <summary>The accept stage's validation: every problem of a batch, located by JSON path.</summary>
public sealed class ChangeIntakeTests
{
    private const string Yaml = """
        version: 1
        systems:
          crm: { kind: webhook, settings: { secret: { env: S } } }
          books: { kind: http, settings: { url: "http://127.0.0.1:1/books" } }
        entities:
          customer: { owner: crm }
          invoice: { owner: crm }
        syncs:
          - { system: crm, type: customer, direction: pull, fields: [email, name, phone] }
          - { system: crm, type: invoice, direction: pull }
          - { system: books, type: customer, direction: push }
        """;

    private readonly ChangeIntake _intake = new(new SyncPlan(TestConfigs.Load(Yaml, _ => "s")), new ManualTimeProvider());

    private IntakeException Reject(string system, string json) =>
        Assert.Throws<IntakeException>(() => _intake.ParseBatch(system, Encoding.UTF8.GetBytes(json), "api"));

    [Fact]
    public void AValidBatch_IsParsedWithNormalisedValues()
    {
        var changes = _intake.ParseBatch("crm", Encoding.UTF8.GetBytes("""
            {"changes":[
              {"type":"customer","external_id":42,"event_id":"e1","occurred_at":"2026-11-22T10:00:00+01:00","fields":{"email":"a@b.co","phone":null}},
              {"type":"invoice","external_id":"inv-1","fields":{"number":"INV-1","amount":"1200.50","currency":"eur","issue_date":"2026-11-01"}}
            ]}
            """), "api");

        Assert.Equal(2, changes.Count);
        Assert.Equal("42", changes[0].Change.ExternalId);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero), changes[0].Change.OccurredAt);
        Assert.Null(changes[0].Change.Fields["phone"]);
        Assert.Equal(1200.50m, changes[1].Change.Fields["amount"]!.GetValue<decimal>());
        Assert.Equal("EUR", changes[1].Change.Fields["currency"]!.GetValue<string>());
        Assert.StartsWith("evt_", changes[1].Change.EventId, StringComparison.Ordinal);
        Assert.Contains("a***@b.co", changes[0].Payload, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedJson_NamesTheLineAndColumn()
    {
        var ex = Reject("crm", "{\"changes\": [\n  {\"type\": \"customer\",, }\n]}");
        Assert.Equal(400, ex.Status);
        Assert.StartsWith("line 2, column", ex.Errors[0].Path, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownSystem_Is404WithASuggestion()
    {
        var ex = Reject("cmr", """{"type":"customer","fields":{}}""");
        Assert.Equal(404, ex.Status);
        Assert.Contains("did you mean 'crm'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryProblemOfABatch_IsReportedAtOnce_WithItsPath()
    {
        var ex = Reject("crm", """
            {"changes":[
              {"type":"custmer","fields":{}},
              {"type":"customer","fields":{"emial":"x@y.z"}},
              {"type":"customer","fields":{"email":12}},
              {"type":"customer","colour":"red","fields":{"name":"A"}},
              {"type":"customer","fields":{"company":"Acme"}}
            ]}
            """);
        Assert.Equal(400, ex.Status);
        var byPath = ex.Errors.ToDictionary(e => e.Path, e => e.Message);
        Assert.Contains("did you mean 'customer'", byPath["changes[0].type"], StringComparison.Ordinal);
        Assert.Contains("did you mean 'email'", byPath["changes[1].fields.emial"], StringComparison.Ordinal);
        Assert.Contains("must be a string", byPath["changes[2].fields.email"], StringComparison.Ordinal);
        Assert.Contains("unknown property", byPath["changes[3].colour"], StringComparison.Ordinal);
        Assert.Contains("does not sync customer.company", byPath["changes[4].fields.company"], StringComparison.Ordinal);
    }

    [Fact]
    public void ASystemThatDoesNotContributeTheType_Is422()
    {
        var ex = Reject("books", """{"type":"customer","fields":{"name":"A"}}""");
        Assert.Equal(422, ex.Status);
        Assert.Contains("does not contribute customer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooManyChanges_Is413()
    {
        var many = string.Join(",", Enumerable.Repeat("""{"type":"customer","fields":{"name":"A"}}""", ChangeIntake.MaxBatch + 1));
        Assert.Equal(413, Reject("crm", $"{{\"changes\":[{many}]}}").Status);
    }

    [Fact]
    public void ADeletionMustNameItsRecord_AndEventIdsMustBeUniqueInABatch()
    {
        Assert.Contains(Reject("crm", """{"type":"customer","deleted":true}""").Errors, e => e.Path == "$.external_id");
        var dup = Reject("crm", """[{"type":"customer","event_id":"e","fields":{"name":"A"}},{"type":"customer","event_id":"e","fields":{"name":"B"}}]""");
        Assert.Contains(dup.Errors, e => e.Path == "[1].event_id");
    }
}
