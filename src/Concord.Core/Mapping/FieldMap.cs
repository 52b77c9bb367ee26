using System.Text.Json.Nodes;
using Concord.Core.Configuration;

namespace Concord.Core.Mapping;

/// <summary>
/// The canonical ↔ vendor field mapping of one entity type in one system: the connector's defaults
/// with the system's <c>fields:</c> overrides applied. Fields without a mapping are not sent and not read.
/// </summary>
public sealed class FieldMap
{
    private readonly Dictionary<string, FieldPath> _paths;

    public FieldMap(string type, IReadOnlyDictionary<string, FieldPath> paths)
    {
        Type = type;
        _paths = new Dictionary<string, FieldPath>(paths, StringComparer.Ordinal);
    }

    public string Type { get; }

    public IReadOnlyDictionary<string, FieldPath> Paths => _paths;

    /// <summary>Canonical fields whose vendor value is the vendor's id of another record.</summary>
    public IEnumerable<string> ReferenceFields => _paths.Where(p => p.Value.Conversion == ValueConversion.Reference).Select(p => p.Key);

    /// <summary>The map for one entity type: the connector's defaults, then the system's overrides.</summary>
    public static FieldMap For(EntitySupport support, SystemConfig system)
    {
        var paths = new Dictionary<string, FieldPath>(StringComparer.Ordinal);
        foreach (var (field, spec) in support.Fields)
        {
            paths[field] = FieldPath.Parse(spec, out var error) ?? throw new InvalidOperationException($"{support.Type}.{field}: {error}");
        }

        if (system.FieldOverrides.TryGetValue(support.Type, out var overrides))
        {
            foreach (var o in overrides)
            {
                if (o.Spec is null)
                {
                    paths.Remove(o.Field);
                }
                else if (FieldPath.Parse(o.Spec, out _) is { } path)
                {
                    paths[o.Field] = path;
                }
            }
        }

        return new FieldMap(support.Type, paths);
    }

    /// <summary>
    /// The vendor object for a delivery's canonical fields. Reference fields are written with the ids
    /// in <paramref name="references"/> (the target system's ids); a reference not listed there is left out.
    /// </summary>
    public JsonObject ToVendor(JsonObject canonical, IReadOnlyDictionary<string, string>? references = null)
    {
        var vendor = new JsonObject();
        var minor = MinorUnits.PerMajor(Text(canonical["currency"]));
        foreach (var (field, value) in canonical)
        {
            if (!_paths.TryGetValue(field, out var path))
            {
                continue;
            }

            if (path.Conversion == ValueConversion.Reference)
            {
                if (references is not null && references.TryGetValue(field, out var id))
                {
                    path.Write(vendor, JsonValue.Create(id));
                }

                continue;
            }

            path.Write(vendor, value, minor);
        }

        return vendor;
    }

    /// <summary>The canonical fields present in a vendor object (reference fields carry the vendor's ids).</summary>
    public JsonObject FromVendor(JsonNode? vendor)
    {
        var canonical = new JsonObject();
        var minor = MinorUnits.PerMajor(_paths.TryGetValue("currency", out var currencyPath) && currencyPath.TryRead(vendor, out var code) ? Text(code) : null);
        foreach (var (field, path) in _paths)
        {
            if (path.TryRead(vendor, out var value, minor))
            {
                canonical[field] = value;
            }
        }

        return canonical;
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
