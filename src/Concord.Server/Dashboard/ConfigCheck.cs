using Concord.Connectors;
using Concord.Core.Configuration;

namespace Concord.Server.Dashboard;

/// <summary>
/// The configuration file as it stands now, fit to show, and what validation says of it: the same loader and validator
/// as <c>concord validate</c> (with the hub's secrets, so an unset variable shows too). The hub keeps running with the
/// configuration it read at start; the file may have changed since, which is what an admin wants to know before a restart.
/// When the hub was started from a configuration built in memory there is no file, and the running model is validated.
/// </summary>
/// <param name="Path">The file, or null for a configuration built in memory.</param>
/// <param name="Text">The file's text with literal secrets replaced (<see cref="ConfigRedaction"/>); null when there is no file or it cannot be read.</param>
/// <param name="Unreadable">Why the file cannot be read now, or null.</param>
/// <param name="Problems">Every problem found, errors first, in the order of the file.</param>
public sealed record ConfigCheck(string? Path, string? Text, string? Unreadable, IReadOnlyList<ConfigProblem> Problems)
{
    public int Errors => Problems.Count(p => p.Severity == ProblemSeverity.Error);

    public int Warnings => Problems.Count(p => p.Severity == ProblemSeverity.Warning);

    public static async Task<ConfigCheck> RunAsync(ConfigSource source, HubConfig running, CancellationToken cancellationToken)
    {
        var catalog = new ConnectorCatalog();
        if (source.Path is not { } path)
        {
            return new ConfigCheck(null, null, null, Order(new ConfigValidator(catalog).Validate(running, source.Environment)));
        }

        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new ConfigCheck(path, null, ex.Message, []);
        }

        var (_, problems) = HubServer.LoadConfigText(text, System.IO.Path.GetFileName(path), source.Environment);
        var redacted = ConfigRedaction.Redact(text, catalog);
        return new ConfigCheck(path, redacted.Text, null, Order(problems.Select(p => p with { Message = redacted.Scrub(p.Message), Hint = p.Hint is { } h ? redacted.Scrub(h) : null })));
    }

    private static List<ConfigProblem> Order(IEnumerable<ConfigProblem> problems) =>
        problems.OrderBy(p => p.Severity).ThenBy(p => p.At.Line).ThenBy(p => p.At.Column).ToList();
}
