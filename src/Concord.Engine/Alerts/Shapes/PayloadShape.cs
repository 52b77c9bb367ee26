using System.Text.Json;
using System.Text.Json.Nodes;

namespace Concord.Engine.Alerts.Shapes;

/// <summary>The JSON kinds a field was seen with. Null is no kind: it is compatible with every kind.</summary>
[Flags]
public enum ShapeKinds
{
    None = 0,
    String = 1,
    Number = 2,
    Boolean = 4,
    Object = 8,
    Array = 16,
}

/// <summary>
/// The shape of one payload: every field path (<c>address.city</c>; array elements collapsed as
/// <c>lines[].amount</c>) with its JSON kind, to a limited depth. Free-form maps (<c>metadata</c>) are taken
/// whole: their keys differ from record to record and say nothing about the vendor's API. Values are never kept.
/// </summary>
public sealed class PayloadShape
{
    /// <summary>Levels of nesting looked into; deeper fields are taken whole with the kind of their ancestor at this depth.</summary>
    public const int MaxDepth = 6;

    /// <summary>Array elements looked at: enough to see their shape without reading a long list of lines.</summary>
    private const int ElementsRead = 5;

    private static readonly string[] FreeForm = ["metadata"];

    private PayloadShape(Dictionary<string, ShapeKinds> paths) => Paths = paths;

    /// <summary>Each path and its kind (<see cref="ShapeKinds.None"/> for null; several kinds when array elements differ).</summary>
    public IReadOnlyDictionary<string, ShapeKinds> Paths { get; }

    /// <summary>A cheap fingerprint of the payload's structure, so that a shape seen before is not built again (64-bit FNV-1a over names and kinds).</summary>
    public static ulong Signature(JsonObject payload)
    {
        var hash = 14695981039346656037UL;
        Hash(payload, 1, ref hash);
        return hash;
    }

    public static PayloadShape Of(JsonObject payload)
    {
        var paths = new Dictionary<string, ShapeKinds>(StringComparer.Ordinal);
        Collect(payload, "", 1, paths);
        return new PayloadShape(paths);
    }

    /// <summary>Builds a shape from stored paths and kinds.</summary>
    public static PayloadShape From(IEnumerable<KeyValuePair<string, ShapeKinds>> paths) => new(new Dictionary<string, ShapeKinds>(paths, StringComparer.Ordinal));

    public static ShapeKinds KindOf(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.String => ShapeKinds.String,
        JsonValueKind.Number => ShapeKinds.Number,
        JsonValueKind.True or JsonValueKind.False => ShapeKinds.Boolean,
        JsonValueKind.Object => ShapeKinds.Object,
        JsonValueKind.Array => ShapeKinds.Array,
        _ => ShapeKinds.None,
    };

    /// <summary>Whether <paramref name="path"/> lies under <paramref name="ancestor"/> (<c>a.b</c> under <c>a</c>, <c>a[].b</c> under <c>a</c>).</summary>
    public static bool IsUnder(string path, string ancestor) =>
        path.Length > ancestor.Length && path.StartsWith(ancestor, StringComparison.Ordinal) && path[ancestor.Length] is '.' or '[';

    /// <summary>Whether the path is inside an array's elements (whose presence depends on the array being non-empty).</summary>
    public static bool InArray(string path) => path.Contains("[]", StringComparison.Ordinal);

    private static void Hash(JsonObject obj, int depth, ref ulong hash)
    {
        foreach (var (name, value) in obj)
        {
            foreach (var ch in name)
            {
                hash = (hash ^ ch) * 1099511628211UL;
            }

            HashValue(name, value, depth, ref hash);
        }

        // Leaving an object is part of the structure: {a:{b}} and {a:{},b} differ.
        hash = (hash ^ 0x1F) * 1099511628211UL;
    }

    private static void HashValue(string name, JsonNode? value, int depth, ref ulong hash)
    {
        var kind = KindOf(value);
        hash = (hash ^ (0x100UL | (uint)kind)) * 1099511628211UL;
        if (depth >= MaxDepth || FreeForm.Contains(name))
        {
            return;
        }

        if (value is JsonObject child)
        {
            Hash(child, depth + 1, ref hash);
        }
        else if (value is JsonArray array)
        {
            for (var i = 0; i < array.Count && i < ElementsRead; i++)
            {
                HashValue("", array[i], depth + 1, ref hash);
            }

            hash = (hash ^ 0x1E) * 1099511628211UL;
        }
    }

    private static void Collect(JsonObject obj, string prefix, int depth, Dictionary<string, ShapeKinds> paths)
    {
        foreach (var (name, value) in obj)
        {
            CollectValue(prefix.Length == 0 ? name : prefix + "." + name, name, value, depth, paths);
        }
    }

    private static void CollectValue(string path, string name, JsonNode? value, int depth, Dictionary<string, ShapeKinds> paths)
    {
        paths[path] = paths.GetValueOrDefault(path) | KindOf(value);
        if (depth >= MaxDepth || FreeForm.Contains(name))
        {
            return;
        }

        if (value is JsonObject child)
        {
            Collect(child, path, depth + 1, paths);
        }
        else if (value is JsonArray array)
        {
            for (var i = 0; i < array.Count && i < ElementsRead; i++)
            {
                CollectValue(path + "[]", "", array[i], depth + 1, paths);
            }
        }
    }
}
