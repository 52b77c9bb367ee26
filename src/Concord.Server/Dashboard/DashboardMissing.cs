using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Concord.Server.Dashboard;

/// <summary>A 404 that still reads as a page: the layout, the section in the navigation, and what was not found.</summary>
public static class DashboardMissing
{
    public static PartialViewResult Missing(this PageModel page, string nav, string message)
    {
        page.ViewData["Nav"] = nav;
        return new PartialViewResult
        {
            ViewName = "_Missing",
            ViewData = new ViewDataDictionary<string>(page.ViewData, message),
            TempData = page.TempData,
            StatusCode = StatusCodes.Status404NotFound,
        };
    }
}
