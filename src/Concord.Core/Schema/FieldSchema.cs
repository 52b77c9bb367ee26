namespace Concord.Core.Schema;

/// <summary>One field of an entity type.</summary>
/// <param name="Name">The canonical field name (snake_case).</param>
/// <param name="Type">The value type.</param>
/// <param name="Required">Whether a complete record has a value for it (a health metric, not a rejection).</param>
/// <param name="Pii">Personal data: masked in the transaction log and, later, for viewers.</param>
/// <param name="Custom">Declared in <c>concord.yaml</c> rather than shipped.</param>
public sealed record FieldSchema(string Name, FieldType Type, bool Required = false, bool Pii = false, bool Custom = false)
{
    /// <summary>
    /// For a <see cref="FieldType.Reference"/>, the entity type it points at: the field's own name when
    /// that is a type (<c>customer</c>, <c>invoice</c>), <c>company</c> for <c>client</c>.
    /// </summary>
    public string? RefersTo => Type != FieldType.Reference ? null : Name == "client" ? "company" : Name;
}
