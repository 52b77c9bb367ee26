using Concord.Core.Configuration;
using Concord.Core.Mapping;

namespace Concord.Connectors.HubSpot;

/// <summary>
/// Which HubSpot object each canonical type lives on for one system, and the field maps that
/// follow. By default customers are contacts. With <c>customer_object: companies</c> (businesses
/// selling to businesses, whose paying customer is a company) the canonical <c>customer</c> lives on
/// HubSpot companies, so the <c>company</c> type has no object of its own there, and a deal's
/// customer is its associated company.
/// </summary>
public sealed class HubSpotLayout
{
    public const string Setting = "customer_object";

    public static readonly IReadOnlyList<string> CustomerObjects = [HubSpotObjects.ContactsObject, HubSpotObjects.CompaniesObject];

    private HubSpotLayout(IReadOnlyList<HubSpotObject> objects, IReadOnlyList<EntitySupport> entities)
    {
        Objects = objects;
        Entities = entities;
    }

    /// <summary>The objects this system reads and writes, one per canonical type.</summary>
    public IReadOnlyList<HubSpotObject> Objects { get; }

    /// <summary>The entity types with their default field maps, as validation and the field maps see them.</summary>
    public IReadOnlyList<EntitySupport> Entities { get; }

    /// <summary>The object canonical customers live on.</summary>
    public HubSpotObject Customers => Objects.First(o => o.Type == "customer");

    /// <summary>
    /// The layout a system's settings ask for. A value other than <c>companies</c> means contacts:
    /// <c>concord validate</c> reports a bad value before the hub starts, and validation itself must
    /// be able to ask.
    /// </summary>
    public static HubSpotLayout Of(SystemConfig system) =>
        system.GetSetting(Setting) == HubSpotObjects.CompaniesObject ? CustomersOnCompanies : CustomersOnContacts;

    public static readonly HubSpotLayout CustomersOnContacts = new(HubSpotObjects.All, HubSpotObjects.Entities);

    public static readonly HubSpotLayout CustomersOnCompanies = new(
        [HubSpotObjects.CustomerCompanies, HubSpotObjects.Deals],
        [HubSpotObjects.CustomerOnCompanies, HubSpotObjects.Deal(HubSpotObjects.CompaniesObject, withCompany: false)]);

    /// <summary>The field map of every type, with the system's <c>fields:</c> overrides.</summary>
    public Dictionary<string, FieldMap> Maps(SystemConfig system) => Entities.ToDictionary(e => e.Type, e => FieldMap.For(e, system));

    public HubSpotObject? ForType(string type) => Objects.FirstOrDefault(o => o.Type == type);

    public HubSpotObject? ForObject(string name) => Objects.FirstOrDefault(o => o.Object == name);

    public HubSpotObject? ForSingular(string singular) => Objects.FirstOrDefault(o => o.Singular == singular);
}
