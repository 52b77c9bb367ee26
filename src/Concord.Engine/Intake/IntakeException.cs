namespace Concord.Engine.Intake;

/// <summary>One thing wrong with an incoming request, located by a JSON path such as <c>changes[2].fields.email</c>.</summary>
public sealed record IntakeError(string Path, string Message);

/// <summary>
/// A request that cannot be accepted. Nothing of it is stored. Carries the HTTP status that says
/// why (400 malformed, 401 unauthenticated, 404 unknown system, 413 too large, 422 not allowed).
/// </summary>
public sealed class IntakeException : Exception
{
    public IntakeException(int status, string title, IReadOnlyList<IntakeError> errors)
        : base(errors.Count == 0 ? title : $"{title}: {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}"))}")
    {
        Status = status;
        Title = title;
        Errors = errors;
    }

    public IntakeException(int status, string title, string path, string message)
        : this(status, title, [new IntakeError(path, message)])
    {
    }

    public int Status { get; }

    public string Title { get; }

    public IReadOnlyList<IntakeError> Errors { get; }
}
