using Concord.Connectors;
using Concord.Engine.Health;
using Concord.Testing;

namespace Concord.Engine.Tests.Health;

/// <summary>What a healthy record is, read from the configuration.</summary>
public sealed class HealthSpecsTests
{
    private const string Yaml = """
        version: 1
        systems:
          crm: { kind: http, settings: { url: "http://127.0.0.1:1/crm", webhook_secret: { env: S } } }
          books: { kind: http, settings: { url: "http://127.0.0.1:1/books" } }
          chat: { kind: slack, settings: { webhook_url: { env: SLACK } } }
        entities:
          customer: { owner: crm, identity: [email] }
          invoice: { owner: crm }
        syncs:
          - { system: crm, type: customer, direction: two-way }
          - { system: books, type: customer, direction: push, filter: { country: [US, CA] } }
          - { system: chat, type: customer, direction: push }
          - { system: crm, type: invoice, direction: two-way }
        """;

    [Fact]
    public void RequiredFields_References_AndTheSystemsThatHoldTheType_AreRead()
    {
        var config = TestConfigs.Load(Yaml, _ => "secret");

        var specs = HealthSpecs.From(config, new ConnectorCatalog()).ToDictionary(s => s.Type);

        Assert.Equal(["email", "name"], specs["customer"].RequiredFields.Order());
        var books = specs["customer"].Systems.Single(s => s.System == "books");
        Assert.Equal("country", Assert.Single(books.Filter).Field);

        // Slack only gets told about customers: it holds no copy to be linked in.
        Assert.Equal(["books", "crm"], specs["customer"].Systems.Select(s => s.System).Order());
        Assert.Equal(["books", "chat", "crm"], HealthSpecs.From(config).Single(s => s.Type == "customer").Systems.Select(s => s.System).Order());

        // An invoice's customer points at a configured type; nothing else it refers to is configured.
        Assert.Equal(("customer", "customer"), (Assert.Single(specs["invoice"].References).Field, specs["invoice"].References[0].RefersTo));
    }
}
