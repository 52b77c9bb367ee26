using Concord.Engine.Storage;

namespace Concord.Server.Dashboard;

/// <summary>How the delivery pages name statuses: what the store calls succeeded, a person calls delivered.</summary>
public static class DeliveryText
{
    public static string Status(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Succeeded => "delivered",
        _ => status.ToString().ToLowerInvariant(),
    };
}
