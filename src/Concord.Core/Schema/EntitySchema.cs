namespace Concord.Core.Schema;

/// <summary>The fields of one entity type.</summary>
public sealed class EntitySchema
{
    private readonly Dictionary<string, FieldSchema> _fields;

    public EntitySchema(string type, IEnumerable<FieldSchema> fields, bool custom = false)
    {
        Type = type;
        Custom = custom;
        _fields = fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    public string Type { get; }

    /// <summary>A type declared in <c>concord.yaml</c> rather than shipped.</summary>
    public bool Custom { get; }

    public IReadOnlyCollection<FieldSchema> Fields => _fields.Values;

    public IEnumerable<string> FieldNames => _fields.Keys;

    public bool TryGetField(string name, out FieldSchema field) => _fields.TryGetValue(name, out field!);

    public bool HasField(string name) => _fields.ContainsKey(name);

    /// <summary>A copy with extra (custom) fields; a custom field may refine a canonical one's flags.</summary>
    public EntitySchema With(IEnumerable<FieldSchema> extra)
    {
        var merged = new Dictionary<string, FieldSchema>(_fields, StringComparer.Ordinal);
        foreach (var f in extra)
        {
            merged[f.Name] = f;
        }

        return new EntitySchema(Type, merged.Values, Custom);
    }

    /// <summary>The closest known field name, for "did you mean" hints.</summary>
    public string? Suggest(string unknown) => Suggestions.Closest(unknown, _fields.Keys);
}
