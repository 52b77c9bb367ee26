using System.Text.Encodings.Web;
using System.Text.Json;

namespace Concord.Core.Records;

/// <summary>
/// How Concord writes JSON it sends or stores: characters such as <c>+</c> and <c>&amp;</c> stay as
/// they are (the default encoder escapes them for HTML, which a phone number does not need).
/// </summary>
public static class JsonText
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
