using Concord.Core.Mapping;

namespace Concord.Connectors.HubSpot;

/// <summary>One HubSpot CRM object type as the connector uses it.</summary>
/// <param name="Type">The canonical type, e.g. <c>customer</c>.</param>
/// <param name="Object">The object's path segment, e.g. <c>contacts</c>.</param>
/// <param name="Singular">The prefix of its webhook subscription types, e.g. <c>contact</c>.</param>
/// <param name="ModifiedProperty">The last-modified property search filters and sorts on.</param>
public sealed record HubSpotObject(string Type, string Object, string Singular, string ModifiedProperty);

/// <summary>
/// The objects Concord syncs with HubSpot and their default field mappings. HubSpot stores every
/// property as a string, so numbers travel with the <c>text</c> conversion. A contact has no full
/// name property: <c>name</c> is built from first and last name when read (see <see cref="HubSpotRecords"/>).
/// </summary>
public static class HubSpotObjects
{
    public static readonly HubSpotObject Contacts = new("customer", "contacts", "contact", "lastmodifieddate");
    public static readonly HubSpotObject Companies = new("company", "companies", "company", "hs_lastmodifieddate");
    public static readonly HubSpotObject Deals = new("deal", "deals", "deal", "hs_lastmodifieddate");

    public static readonly IReadOnlyList<HubSpotObject> All = [Contacts, Companies, Deals];

    private const EntityOperations Writable = EntityOperations.Read | EntityOperations.Create | EntityOperations.Update | EntityOperations.Delete;

    public static readonly IReadOnlyList<EntitySupport> Entities =
    [
        new("customer", "contacts", Writable | EntityOperations.Upsert, new Dictionary<string, string>
        {
            ["email"] = "properties.email",
            ["first_name"] = "properties.firstname",
            ["last_name"] = "properties.lastname",
            ["phone"] = "properties.phone",
            ["company"] = "properties.company",
            ["title"] = "properties.jobtitle",
            ["address_line1"] = "properties.address",
            ["city"] = "properties.city",
            ["region"] = "properties.state",
            ["postal_code"] = "properties.zip",
            ["country"] = "properties.country",
            ["lifecycle_stage"] = "properties.lifecyclestage",
        }),
        new("company", "companies", Writable | EntityOperations.Upsert, new Dictionary<string, string>
        {
            ["name"] = "properties.name",
            ["domain"] = "properties.domain",
            ["phone"] = "properties.phone",
            ["industry"] = "properties.industry",
            ["employee_count"] = "properties.numberofemployees|text",
            ["annual_revenue"] = "properties.annualrevenue|text",
            ["address_line1"] = "properties.address",
            ["city"] = "properties.city",
            ["region"] = "properties.state",
            ["postal_code"] = "properties.zip",
            ["country"] = "properties.country",
        }),
        new("deal", "deals", Writable, new Dictionary<string, string>
        {
            ["name"] = "properties.dealname",
            ["amount"] = "properties.amount|text",
            ["currency"] = "properties.deal_currency_code|upper",
            ["stage"] = "properties.dealstage",
            ["close_date"] = "properties.closedate",

            // Not properties: written as v4 associations after the deal is saved (see HubSpotOutbound).
            ["customer"] = "associations.contacts|ref",
            ["company"] = "associations.companies|ref",
        }),
    ];

    public static HubSpotObject? ForType(string type) => All.FirstOrDefault(o => o.Type == type);

    public static HubSpotObject? ForObject(string name) => All.FirstOrDefault(o => o.Object == name);

    public static HubSpotObject? ForSingular(string singular) => All.FirstOrDefault(o => o.Singular == singular);
}
