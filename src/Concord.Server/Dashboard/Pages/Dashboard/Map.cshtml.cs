using Concord.Core.Map;
using Concord.Engine.Hosting;
using Concord.Server.Api;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Server.Dashboard.Pages.Dashboard;

/// <summary>
/// The live integration map the API serves at <c>/map</c>, drawn inline with every system, type and flow a link to
/// its page, then the same elements as a list of links, and the Mermaid text.
/// </summary>
public sealed class MapModel(HubRuntime hub) : PageModel
{
    public LiveMap Live { get; private set; } = null!;

    /// <summary>The SVG with its links, written into the page as is (every configured name in it is escaped).</summary>
    public string Svg { get; private set; } = "";

    public string Mermaid { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Live = await MapEndpoints.ReadAsync(hub, cancellationToken);
        Svg = Live.Svg(new MapLinks(
            System: name => Live.Map.System(name) is { IsTool: false } ? new MapLink(SystemHref(name), "deliveries") : null,
            Type: type => new MapLink(TypeHref(type), "records"),
            Flow: flow => new MapLink(FlowHref(flow), "runs")));
        Mermaid = Live.Mermaid();
    }

    public static string SystemHref(string system) => "/dashboard/deliveries?system=" + Uri.EscapeDataString(system);

    public static string TypeHref(string type) => "/dashboard/records?type=" + Uri.EscapeDataString(type);

    public static string FlowHref(string flow) => "/dashboard/flows/" + Uri.EscapeDataString(flow);

    /// <summary>The system's state in the overview's words: "healthy", "degraded: 1 dead delivery", "silent: …".</summary>
    public SystemStatus? StateOf(string system) => Live.Overlay.SystemOf(system);
}
