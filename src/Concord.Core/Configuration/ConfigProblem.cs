namespace Concord.Core.Configuration;

/// <summary>How serious a configuration problem is. Errors stop the hub from starting.</summary>
public enum ProblemSeverity
{
    Error,
    Warning,
}

/// <summary>One problem found in <c>concord.yaml</c>, located and with a hint on how to fix it.</summary>
public sealed record ConfigProblem(SourceSpan At, string Code, string Message, string? Hint = null, ProblemSeverity Severity = ProblemSeverity.Error)
{
    public override string ToString()
    {
        var level = Severity == ProblemSeverity.Error ? "error" : "warning";
        return Hint is null ? $"{At}: {level} {Code}: {Message}" : $"{At}: {level} {Code}: {Message}\n    hint: {Hint}";
    }
}
