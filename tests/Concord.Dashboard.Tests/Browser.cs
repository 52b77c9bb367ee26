using Microsoft.Playwright;

namespace Concord.Dashboard.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright's bundled driver (copied to bin/.playwright by the package),
/// so no browser download is needed. A missing browser fails the tests: CI installs it.
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    /// <summary>Where the browser is expected; CONCORD_CHROMIUM overrides it.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("CONCORD_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private Browser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Instance = browser;
    }

    public IBrowser Instance { get; }

    /// <summary>Where screenshots go: a folder next to the test assembly, kept after the run.</summary>
    public static string ScreenshotDirectory
    {
        get
        {
            var dir = Path.Combine(AppContext.BaseDirectory, "screenshots");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    public static async Task<Browser> LaunchAsync()
    {
        Assert.True(File.Exists(ExecutablePath), $"Chromium is required for the dashboard tests and was not found at {ExecutablePath} (on Debian: apt-get install chromium)");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Containers often run as root without user namespaces, where Chromium's sandbox cannot start.
            ChromiumSandbox = false,
        });
        return new Browser(playwright, browser);
    }

    /// <summary>A page in a fresh context; <paramref name="storageState"/> (from another context) carries a signed-in session over.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 800, string? storageState = null)
    {
        var context = await Instance.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, StorageState = storageState });

        // Playwright's 30 s default is for a machine with time to spare; CI's two cores run a hub, its sandboxes and
        // Chromium for each of two test classes at once. A page that never comes still fails, a minute later.
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Instance.DisposeAsync();
        _playwright.Dispose();
    }
}
