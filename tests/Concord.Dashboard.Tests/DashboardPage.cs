namespace Concord.Dashboard.Tests;

/// <summary>
/// A dashboard page for tests that visit every one (the accessibility check): a name, the path under <c>/dashboard</c>,
/// and who to sign in as (null: signed out). <see cref="All"/> is the one list of them.
/// </summary>
public sealed record DashboardPage(string Name, string Path, string? Role)
{
    public static readonly IReadOnlyList<DashboardPage> All =
    [
        new("sign-in", "/signin", null),
        new("overview", "", "admin"),
        new("settings", "/settings", "admin"),
        new("audit", "/audit", "admin"),
        new("denied", "/denied", "viewer"),
    ];
}
