namespace Concord.Core.Mapping;

/// <summary>What a vendor connector can do with one entity type.</summary>
[Flags]
public enum EntityOperations
{
    None = 0,

    /// <summary>Reads changes from the vendor (webhooks or polling).</summary>
    Read = 1,

    Create = 2,

    Update = 4,

    Delete = 8,

    /// <summary>Creates or updates by a unique property in one call (e.g. HubSpot's batch upsert by email).</summary>
    Upsert = 16,

    /// <summary>Sends a notification; there is no record to update or delete (Slack).</summary>
    Notify = 32,

    ReadWrite = Read | Create | Update | Delete,
}

/// <summary>
/// One entity type a vendor connector supports: the vendor's object for it, what it can do, and the
/// default canonical ↔ vendor field mapping (canonical field → <see cref="FieldPath"/> spec).
/// <c>concord.yaml</c> may override any entry under <c>systems.&lt;name&gt;.fields.&lt;type&gt;</c>.
/// </summary>
/// <param name="Type">The canonical entity type, e.g. <c>customer</c>.</param>
/// <param name="VendorObject">The vendor's name for it, e.g. <c>Customer</c>, <c>contacts</c>.</param>
/// <param name="Operations">What the connector does with it.</param>
/// <param name="Fields">Canonical field → vendor path spec (see <see cref="FieldPath.Parse"/>).</param>
public sealed record EntitySupport(string Type, string VendorObject, EntityOperations Operations, IReadOnlyDictionary<string, string> Fields)
{
    public bool Can(EntityOperations operation) => (Operations & operation) == operation;
}
