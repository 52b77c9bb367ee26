using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Testing;

namespace Concord.Acceptance.Tests;

/// <summary>
/// What the flow-template tests share: a hub running one shipped template (only the systems'
/// connection settings swapped for the sandboxes'), with the secrets the template's flows read
/// added to the sandboxes', and the ways a person or a sender reaches its flows and runs.
/// </summary>
internal static class FlowTemplateRig
{
    /// <summary>Starts a hub on the template <paramref name="name"/> against <paramref name="stack"/>.</summary>
    public static async Task<HubHarness> StartAsync(VendorStack stack, string name, IReadOnlyDictionary<string, string>? flowSecrets = null,
        IReadOnlyDictionary<string, string>? extraSystems = null, IReadOnlyDictionary<string, string>? replace = null)
    {
        var yaml = TemplateConfig.ForSandboxes(TemplateConfig.Read(name), stack, extraSystems, replace);
        var secrets = VendorStack.Secrets.Concat(flowSecrets ?? new Dictionary<string, string>()).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return await stack.StartHubAsync(yaml, secrets);
    }

    /// <summary>
    /// POSTs <paramref name="json"/> to <c>/hooks/flows/{flow}</c>, signed as a sender does
    /// (<c>X-Concord-Signature: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c>); a null secret sends no signature.
    /// </summary>
    public static async Task<HttpResponseMessage> PostFlowHookAsync(HubHarness hub, string flow, string json, string? secret)
    {
        var body = Encoding.UTF8.GetBytes(json);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{hub.Url}/hooks/flows/{flow}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (secret is not null)
        {
            request.Headers.Add("X-Concord-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
        }

        using var plain = new HttpClient();
        return await plain.SendAsync(request);
    }

    /// <summary>The runs of <paramref name="flow"/>, oldest first.</summary>
    public static async Task<List<JsonNode>> RunsAsync(HubHarness hub, string flow) =>
        (await hub.GetJsonAsync($"/api/v1/runs?flow={flow}&limit=1000")).AsArray().Select(r => r!).Reverse().ToList();

    /// <summary>Waits until <paramref name="flow"/> has <paramref name="count"/> finished runs and none unfinished; returns them oldest first.</summary>
    public static Task<List<JsonNode>> FinishedRunsAsync(HubHarness hub, string flow, int count, TimeSpan? timeout = null) =>
        Eventually.GetAsync(async () =>
        {
            var runs = await RunsAsync(hub, flow);
            return runs.Count == count && runs.All(r => Finished((string)r["status"]!)) ? runs : null;
        }, $"{count} finished run(s) of {flow}", timeout ?? TimeSpan.FromSeconds(30));

    /// <summary>Waits for run <paramref name="id"/> to have <paramref name="status"/>, and returns its detail (input, steps, log).</summary>
    public static Task<JsonNode> RunInStatusAsync(HubHarness hub, string id, string status, TimeSpan? timeout = null) =>
        Eventually.GetAsync(async () =>
        {
            var detail = await hub.GetJsonAsync($"/api/v1/runs/{id}");
            return (string?)detail["run"]!["status"] == status ? detail : null;
        }, $"run {id} to be {status}", timeout ?? TimeSpan.FromSeconds(30));

    public static bool Finished(string status) => status is "succeeded" or "failed" or "skipped" or "stopped";

    /// <summary>A step of a run's detail by id.</summary>
    public static JsonNode Step(JsonNode detail, string id) =>
        detail["steps"]!.AsArray().Single(s => (string?)s!["id"] == id)!;
}
