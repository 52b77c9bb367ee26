using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Concord.Engine.Flows.Steps;

/// <summary>
/// An <c>http:</c> step's request, read and checked from its arguments before anything is sent:
/// the method (<c>POST</c> when there is a body, else <c>GET</c>), an absolute http(s) URL, headers,
/// the body (JSON for an object or list, text otherwise), the statuses that count as success (any
/// 2xx unless <c>expect</c> lists them) and the time allowed.
/// </summary>
internal sealed record HttpStepRequest(HttpMethod Method, Uri Url, IReadOnlyList<KeyValuePair<string, string>> Headers, JsonNode? Body, IReadOnlyList<int>? Expect, TimeSpan Timeout)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    /// <summary>Headers whose values are credentials: shown as <c>(hidden)</c> in the run's history.</summary>
    private static readonly string[] SecretHeaders = ["authorization", "proxy-authorization", "cookie", "x-api-key", "api-key", "apikey"];

    public static HttpStepRequest Read(StepRun step)
    {
        var url = StepArgs.RequiredText(step, "url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw StepArgs.Invalid(step, "url", $"must be an absolute http(s) URL, not '{url}'");
        }

        var body = step.Args["body"];
        var method = StepArgs.Text(step, "method")?.Trim().ToUpperInvariant() ?? (body is null ? "GET" : "POST");
        if (!Methods.Contains(method, StringComparer.Ordinal))
        {
            throw StepArgs.Invalid(step, "method", $"must be one of {string.Join(", ", Methods)}, not '{method}'");
        }

        if (body is not null && method is "GET")
        {
            throw StepArgs.Invalid(step, "body", "cannot be sent with GET: write method: POST (or PUT, PATCH)");
        }

        return new HttpStepRequest(new HttpMethod(method), uri, ReadHeaders(step), body, ReadExpect(step), StepArgs.Duration(step, "timeout") ?? DefaultTimeout);
    }

    /// <summary>Whether <paramref name="status"/> is a success for this step.</summary>
    public bool Expected(int status) => Expect?.Contains(status) ?? status is >= 200 and < 300;

    /// <summary>What the expected statuses are, for messages.</summary>
    public string Expectation => Expect is null ? "2xx" : string.Join(", ", Expect);

    /// <summary>The request for sending; <paramref name="idempotencyKey"/> goes on every method but GET unless a header names one already.</summary>
    public HttpRequestMessage ToMessage(string idempotencyKey)
    {
        var message = new HttpRequestMessage(Method, Url);
        if (Body is not null)
        {
            var (text, type) = BodyText();
            message.Content = new StringContent(text, Encoding.UTF8);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(type) { CharSet = "utf-8" };
        }

        foreach (var (name, value) in AllHeaders(idempotencyKey))
        {
            // Content headers (Content-Type…) belong to the body; without one there is nothing to describe.
            if (!message.Headers.TryAddWithoutValidation(name, value) && message.Content is not null)
            {
                message.Content.Headers.Remove(name);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    /// <summary>The request as the run's history shows it: credentials hidden, the body as given.</summary>
    public JsonObject ToJson(string idempotencyKey)
    {
        var headers = new JsonObject();
        foreach (var (name, value) in AllHeaders(idempotencyKey))
        {
            headers[name] = SecretHeaders.Contains(name.ToLowerInvariant(), StringComparer.Ordinal) ? "(hidden)" : value;
        }

        var json = new JsonObject { ["method"] = Method.Method, ["url"] = Url.AbsoluteUri, ["headers"] = headers };
        if (Body is not null)
        {
            json["body"] = Body.DeepClone();
        }

        return json;
    }

    /// <summary>The URL without its query, which may carry a key: for failure messages.</summary>
    public string Where => Url.GetLeftPart(UriPartial.Path);

    private IEnumerable<KeyValuePair<string, string>> AllHeaders(string idempotencyKey)
    {
        if (Method != HttpMethod.Get && !Headers.Any(h => h.Key.Equals("Idempotency-Key", StringComparison.OrdinalIgnoreCase)))
        {
            yield return new("Idempotency-Key", idempotencyKey);
        }

        foreach (var header in Headers)
        {
            yield return header;
        }
    }

    private (string Text, string MediaType) BodyText() =>
        Body is JsonObject or JsonArray ? (Body.ToJsonString(), "application/json") : (StepArgs.Text(Body) ?? Body!.ToJsonString(), "text/plain");

    private static List<KeyValuePair<string, string>> ReadHeaders(StepRun step)
    {
        var headers = new List<KeyValuePair<string, string>>();
        switch (step.Args["headers"])
        {
            case null:
                return headers;
            case JsonObject map:
                foreach (var (name, node) in map)
                {
                    var value = StepArgs.Text(node);
                    if (name.Length == 0 || name.Any(c => c <= ' ' || c >= 127 || c == ':'))
                    {
                        throw StepArgs.Invalid(step, "headers", $"has '{name}', which is not a header name");
                    }

                    if (value is null || value.Any(c => c is '\r' or '\n'))
                    {
                        throw StepArgs.Invalid(step, $"headers.{name}", "must be one line of text");
                    }

                    headers.Add(new(name, value));
                }

                return headers;
            default:
                throw StepArgs.Invalid(step, "headers", "must be a mapping of header names to values");
        }
    }

    private static List<int>? ReadExpect(StepRun step)
    {
        switch (step.Args["expect"])
        {
            case null:
                return null;
            case JsonArray list when list.Count > 0:
                var statuses = new List<int>();
                foreach (var item in list)
                {
                    if (!int.TryParse(StepArgs.Text(item), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var status) || status is < 100 or > 599)
                    {
                        throw StepArgs.Invalid(step, "expect", $"must list HTTP statuses (100–599), not {StepArgs.Show(item)}");
                    }

                    statuses.Add(status);
                }

                return statuses;
            case JsonValue single when int.TryParse(StepArgs.Text(single), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var one) && one is >= 100 and <= 599:
                return [one];
            default:
                throw StepArgs.Invalid(step, "expect", "must be a list of HTTP statuses, such as [200, 201]");
        }
    }
}
