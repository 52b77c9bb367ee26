namespace Concord.Core.Configuration;

/// <summary>
/// Where a tool sits in a small business's stack. The audit groups tools by layer to show spend
/// per job and to spot two tools paid for the same job.
/// </summary>
public enum StackLayer
{
    /// <summary>Not placed in a layer (a generic connector whose job the hub cannot tell).</summary>
    None,

    /// <summary>Customers and sales: CRM, pipeline.</summary>
    Customers,

    /// <summary>Money: payments, invoicing, accounting.</summary>
    Money,

    /// <summary>Delivery: projects, tasks, fulfilment.</summary>
    Delivery,

    /// <summary>Communication: chat, e-mail.</summary>
    Communication,

    /// <summary>Storage and documents.</summary>
    Storage,

    /// <summary>Insight: reporting, analytics.</summary>
    Insight,
}

/// <summary>Names and defaults of <see cref="StackLayer"/> as written in <c>concord.yaml</c>.</summary>
public static class StackLayers
{
    /// <summary>The names accepted by <c>layer:</c>, in stack order.</summary>
    public static readonly string[] Names = ["customers", "money", "delivery", "communication", "storage", "insight"];

    /// <summary>Reads a layer name; null when it is not one of <see cref="Names"/>.</summary>
    public static StackLayer? Parse(string text) => text switch
    {
        "customers" => StackLayer.Customers,
        "money" => StackLayer.Money,
        "delivery" => StackLayer.Delivery,
        "communication" => StackLayer.Communication,
        "storage" => StackLayer.Storage,
        "insight" => StackLayer.Insight,
        _ => null,
    };

    /// <summary>The layer a connector kind implies when none is written; generic connectors have none.</summary>
    public static StackLayer ForKind(string kind) => kind switch
    {
        "hubspot" => StackLayer.Customers,
        "stripe" or "quickbooks" => StackLayer.Money,
        "slack" or "smtp" => StackLayer.Communication,
        _ => StackLayer.None,
    };

    /// <summary>The heading used in reports.</summary>
    public static string Title(StackLayer layer) => layer switch
    {
        StackLayer.Customers => "Customers and sales",
        StackLayer.Money => "Money",
        StackLayer.Delivery => "Delivery",
        StackLayer.Communication => "Communication",
        StackLayer.Storage => "Storage and documents",
        StackLayer.Insight => "Insight",
        _ => "No layer",
    };
}

/// <summary>What a tool costs per month, in one currency (ISO 4217 code).</summary>
public sealed record ToolCost(decimal Monthly, string Currency, SourceSpan At);

/// <summary>
/// A subscription listed under <c>tools:</c> only for the audit: Concord does not connect to it,
/// but it is part of the stack and of the spend (for example a task board or a wiki).
/// </summary>
public sealed class AuditTool
{
    public required string Name { get; init; }

    public StackLayer Layer { get; init; }

    public ToolCost? Cost { get; init; }

    public string? Url { get; init; }

    public SourceSpan At { get; init; }
}
