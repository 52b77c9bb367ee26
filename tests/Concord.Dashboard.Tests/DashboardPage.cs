namespace Concord.Dashboard.Tests;

/// <summary>
/// A dashboard page for tests that visit every one (the accessibility check): a name, the path under <c>/dashboard</c>,
/// and who to sign in as (null: signed out). <see cref="All"/> is the one list of them.
/// </summary>
/// <param name="Follow">For a page reached from another (a record, a delivery): the link on <paramref name="Path"/> to follow to it.</param>
public sealed record DashboardPage(string Name, string Path, string? Role, string? Follow = null)
{
    public static readonly IReadOnlyList<DashboardPage> All =
    [
        new("sign-in", "/signin", null),
        new("overview", "", "admin"),
        new("settings", "/settings", "admin"),
        new("audit", "/audit", "admin"),
        new("denied", "/denied", "viewer"),
        new("map", "/map", "admin"),
        new("incidents", "/incidents", "admin"),
        new("customers", "/records?q=ann", "admin"),
        new("customers-viewer", "/records?type=customer", "viewer"),
        new("record", "/records?q=ann", "admin", "main table a[href^='/dashboard/records/']"),
        new("review", "/review", "operator"),
        new("deliveries", "/deliveries?status=dead", "operator"),
        new("delivery", "/deliveries?status=dead", "operator", "main table a[href^='/dashboard/deliveries/']"),
        new("log", "/log", "viewer"),
        new("flows", "/flows", "admin"),
    ];
}
