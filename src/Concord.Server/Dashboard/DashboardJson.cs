using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Concord.Server.Dashboard;

/// <summary>
/// JSON as the delivery and flow pages show it: indented, and without \u0022-style escapes, which only hinder reading;
/// the page's HTML encoding makes the text safe.
/// </summary>
public static class DashboardJson
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonSerializerOptions CompactOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Pretty(JsonNode? node) => node?.ToJsonString(Options) ?? "(nothing)";

    /// <summary>On one line, for a table cell.</summary>
    public static string? Compact(JsonNode? node) => node?.ToJsonString(CompactOptions);
}
