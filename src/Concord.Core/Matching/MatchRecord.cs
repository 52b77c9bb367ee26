namespace Concord.Core.Matching;

/// <summary>A record offered to the matcher: its id, its raw field values, and which source it came from.</summary>
/// <param name="Id">The record's id.</param>
/// <param name="Fields">Raw values by field name; absent or empty values are missing.</param>
/// <param name="Source">The source, for linking two sources (only pairs across sources are compared).</param>
public sealed record MatchRecord(string Id, IReadOnlyDictionary<string, string?> Fields, int Source = 0);
