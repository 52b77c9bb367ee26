namespace Concord.Core.Flows.Text;

/// <summary>A sum of money as written: its value and every currency hint next to it.</summary>
/// <param name="Value">The number, suffix (k, m) applied.</param>
/// <param name="Hints">Currency hints as written ("$", "USD", "dollars"), in order; empty for a bare number.</param>
internal sealed record MoneyMention(decimal Value, IReadOnlyList<string> Hints);
