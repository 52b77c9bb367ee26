namespace Concord.Core.Configuration;

/// <summary>
/// One line under <c>systems.&lt;name&gt;.fields.&lt;type&gt;</c>: where a canonical field lives in the
/// vendor's object. A null <paramref name="Spec"/> (written <c>~</c> or <c>none</c>) unmaps a default.
/// </summary>
public sealed record FieldOverride(string Field, string? Spec, SourceSpan At);
