using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Concord.Engine.Flows.Steps;

/// <summary>
/// What a step keeps of an answer's body: JSON when the answer is JSON, else text, and never more
/// than <see cref="MaxBytes"/>: a run's history is stored, and a step that fetched a large file
/// must not bloat it. A cut body is kept as text and flagged.
/// </summary>
internal static class ResponseBody
{
    public const int MaxBytes = 64 * 1024;

    /// <summary>The body of <paramref name="response"/>, reading at most <see cref="MaxBytes"/> (plus one byte to know it was cut).</summary>
    public static async Task<(JsonNode? Body, bool Truncated)> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxBytes + 1];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        var truncated = read > MaxBytes;
        var length = Math.Min(read, MaxBytes);
        var encoding = EncodingOf(response.Content.Headers.ContentType);
        if (!truncated && IsJson(response.Content.Headers.ContentType) && Json(buffer.AsSpan(0, length)) is { } json)
        {
            return (json, false);
        }

        var text = encoding.GetString(buffer, 0, length);
        if (truncated && text.Length > 0 && char.IsHighSurrogate(text[^1]))
        {
            text = text[..^1];
        }

        return (length == 0 ? null : JsonValue.Create(text), truncated);
    }

    /// <summary>Text that is JSON becomes JSON; anything else stays text (null when empty).</summary>
    public static JsonNode? FromText(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.Length > 0 && trimmed[0] is '{' or '[' && Json(Encoding.UTF8.GetBytes(text)) is { } json)
        {
            return json;
        }

        return JsonValue.Create(text.Length <= MaxBytes ? text : text[..MaxBytes]);
    }

    public static bool IsJson(MediaTypeHeaderValue? type) =>
        type?.MediaType is { } media && (media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static JsonNode? Json(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return JsonNode.Parse(bytes);
        }
        catch (JsonException)
        {
            // Labelled JSON that is not: keep it as text rather than lose it.
            return null;
        }
    }

    private static Encoding EncodingOf(MediaTypeHeaderValue? type)
    {
        if (type?.CharSet is { Length: > 0 } charset)
        {
            try
            {
                return Encoding.GetEncoding(charset.Trim('"'));
            }
            catch (ArgumentException)
            {
                // An unknown charset is read as UTF-8, the web's default.
            }
        }

        return Encoding.UTF8;
    }
}
