namespace Concord.Core.Reconciliation;

/// <summary>A scored candidate pair, by the lines' positions in the left and right lists.</summary>
/// <param name="Left">Position in the left list.</param>
/// <param name="Right">Position in the right list.</param>
/// <param name="Score">How alike they are.</param>
public readonly record struct Candidate(int Left, int Right, PairScore Score);
