using System.Text;
using System.Text.Json.Nodes;
using Concord.Connectors.Webhook;
using Concord.Core.Configuration;
using Concord.Engine.Connectors;

namespace Concord.Connectors.Tests.Webhook;

public sealed class PayloadMapperTests
{
    private static readonly InboundMapping Mapping = new()
    {
        Type = "customer",
        ExternalId = "id",
        EventIdHeader = "X-Request-Id",
        Fields =
        [
            new FieldMapping("email", "contact.email", ["trim", "lower"], SourceSpan.None),
            new FieldMapping("name", "contact.name", ["collapse_spaces"], SourceSpan.None),
            new FieldMapping("phone", "contact.phone", ["digits"], SourceSpan.None),
            new FieldMapping("company", "company", [], SourceSpan.None),
        ],
    };

    private static JsonArray Map(string json, string? requestId = "req-1")
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (requestId is not null)
        {
            headers["X-Request-Id"] = requestId;
        }

        var batch = new PayloadMapper(Mapping).ToChangeBatch(new InboundRequest("intake", headers, Encoding.UTF8.GetBytes(json)));
        return JsonNode.Parse(batch)!["changes"]!.AsArray();
    }

    [Fact]
    public void PathsAndTransforms_ShapeTheChange()
    {
        var change = Map("""{"id":7,"contact":{"email":"  Alice.Smith@Example.COM ","name":"  Alice   Smith ","phone":"+1 (415) 555-0100"},"company":"Acme"}""")[0]!;
        Assert.Equal("customer", (string?)change["type"]);
        Assert.Equal("7", (string?)change["external_id"]);
        Assert.Equal("req-1", (string?)change["event_id"]);
        var fields = change["fields"]!;
        Assert.Equal("alice.smith@example.com", (string?)fields["email"]);
        Assert.Equal("Alice Smith", (string?)fields["name"]);
        Assert.Equal("14155550100", (string?)fields["phone"]);
        Assert.Equal("Acme", (string?)fields["company"]);
    }

    [Fact]
    public void AListOfPayloads_GivesOneChangeEach_WithDistinctEventIds()
    {
        var changes = Map("""[{"id":1,"company":"A"},{"id":2,"company":"B"}]""");
        Assert.Equal(["req-1", "req-1#1"], changes.Select(c => (string?)c!["event_id"]));
        Assert.False(changes[0]!["fields"]!.AsObject().ContainsKey("email"));
    }

    [Fact]
    public void WithoutAnEventId_EveryCallIsNew()
    {
        Assert.Null(Map("""{"id":1}""", requestId: null)[0]!["event_id"]);
    }

    [Fact]
    public void MalformedJson_IsA400WithItsPosition()
    {
        var ex = Assert.Throws<Engine.Intake.IntakeException>(() => Map("{\"id\": 1,\n \"x\": }"));
        Assert.Equal(400, ex.Status);
        Assert.StartsWith("line 2", ex.Errors[0].Path, StringComparison.Ordinal);
    }
}
