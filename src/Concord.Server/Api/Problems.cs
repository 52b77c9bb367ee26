using Concord.Engine.Intake;
using Microsoft.AspNetCore.Http;

namespace Concord.Server.Api;

/// <summary>Errors as RFC 9457 problem details, each naming what is wrong and where.</summary>
internal static class Problems
{
    public static IResult From(IntakeException ex) => Results.Json(
        new ProblemBody($"https://concord.dev/problems/{Slug(ex.Title)}", ex.Title, ex.Status, ex.Message, ex.Errors.Select(e => new ProblemError(e.Path, e.Message)).ToList()),
        statusCode: ex.Status, contentType: "application/problem+json");

    public static IResult Unauthorized(string detail) => Make(401, "Unauthorized", detail);

    public static IResult NotFound(string detail) => Make(404, "Not found", detail);

    public static IResult Conflict(string detail) => Make(409, "Conflict", detail);

    public static IResult BadRequest(string path, string detail) => Results.Json(
        new ProblemBody("https://concord.dev/problems/bad-request", "Bad request", 400, $"{path}: {detail}", [new ProblemError(path, detail)]),
        statusCode: 400, contentType: "application/problem+json");

    public static IResult Make(int status, string title, string detail) => Results.Json(
        new ProblemBody($"https://concord.dev/problems/{Slug(title)}", title, status, detail, []),
        statusCode: status, contentType: "application/problem+json");

    private static string Slug(string title) => title.ToLowerInvariant().Replace(' ', '-');
}

/// <summary>A problem details body.</summary>
public sealed record ProblemBody(string Type, string Title, int Status, string Detail, IReadOnlyList<ProblemError> Errors);

/// <summary>One located error: a JSON path (or line and column) and what is wrong there.</summary>
public sealed record ProblemError(string Path, string Message);
