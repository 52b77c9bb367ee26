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
/// Which object the canonical <c>customer</c> lives on is a system's choice (see <see cref="HubSpotLayout"/>);
/// the lists here are the default, customers on contacts.
/// </summary>
public static class HubSpotObjects
{
    public const string ContactsObject = "contacts";
    public const string CompaniesObject = "companies";

    public static readonly HubSpotObject Contacts = new("customer", ContactsObject, "contact", "lastmodifieddate");
    public static readonly HubSpotObject Companies = new("company", CompaniesObject, "company", "hs_lastmodifieddate");
    public static readonly HubSpotObject Deals = new("deal", "deals", "deal", "hs_lastmodifieddate");

    /// <summary>The canonical customer kept on HubSpot companies (B2B: the paying customer is a business).</summary>
    public static readonly HubSpotObject CustomerCompanies = Companies with { Type = "customer" };

    public static readonly IReadOnlyList<HubSpotObject> All = [Contacts, Companies, Deals];

    private const EntityOperations Writable = EntityOperations.Read | EntityOperations.Create | EntityOperations.Update | EntityOperations.Delete;

    public static readonly EntitySupport CustomerOnContacts = new("customer", ContactsObject, Writable | EntityOperations.Upsert, new Dictionary<string, string>
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
    });

    /// <summary>
    /// The canonical customer on a HubSpot company. A company has no email property, so a customer
    /// read from one has none; it is upserted by <c>id_property</c>, not by email.
    /// </summary>
    public static readonly EntitySupport CustomerOnCompanies = new("customer", CompaniesObject, Writable | EntityOperations.Upsert, new Dictionary<string, string>
    {
        ["name"] = "properties.name",
        ["company_domain"] = "properties.domain",
        ["phone"] = "properties.phone",
        ["address_line1"] = "properties.address",
        ["address_line2"] = "properties.address2",
        ["city"] = "properties.city",
        ["region"] = "properties.state",
        ["postal_code"] = "properties.zip",
        ["country"] = "properties.country",
        ["lifecycle_stage"] = "properties.lifecyclestage",
        ["notes"] = "properties.description",
        ["created_at"] = "properties.createdate",
    });

    public static readonly EntitySupport Company = new("company", CompaniesObject, Writable | EntityOperations.Upsert, new Dictionary<string, string>
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
    });

    /// <summary>A deal, associated with the objects its customer and company live on.</summary>
    public static EntitySupport Deal(string customerObject, bool withCompany)
    {
        var fields = new Dictionary<string, string>
        {
            ["name"] = "properties.dealname",
            ["amount"] = "properties.amount|text",
            ["currency"] = "properties.deal_currency_code|upper",
            ["stage"] = "properties.dealstage",
            ["close_date"] = "properties.closedate",

            // Not properties: written as v4 associations after the deal is saved (see HubSpotOutbound).
            ["customer"] = $"associations.{customerObject}|ref",
        };
        if (withCompany)
        {
            fields["company"] = $"associations.{CompaniesObject}|ref";
        }

        return new EntitySupport("deal", "deals", Writable, fields);
    }

    /// <summary>What a system syncs by default (customers on contacts), as the descriptor lists it.</summary>
    public static readonly IReadOnlyList<EntitySupport> Entities = [CustomerOnContacts, Company, Deal(ContactsObject, withCompany: true)];
}
