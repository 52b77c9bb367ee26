namespace Concord.Server;

/// <summary>
/// Where the running hub's configuration came from: the file it was read from (null when it was built in memory,
/// as tests and embedding hosts do), and where its secrets are read, so the configuration can be shown and checked
/// again as it stands now.
/// </summary>
public sealed record ConfigSource(string? Path, Func<string, string?> Environment);
