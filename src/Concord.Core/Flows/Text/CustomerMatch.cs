namespace Concord.Core.Flows.Text;

/// <summary>The customer a draft is for and why the parser thinks so.</summary>
/// <param name="Id">The directory id.</param>
/// <param name="Name">The directory name.</param>
/// <param name="Written">The words in the text that named it.</param>
/// <param name="Kind">How they matched.</param>
/// <param name="Confidence">1 for an exact name, alias or address; lower for normalised and fuzzy matches.</param>
public sealed record CustomerMatch(string Id, string Name, string Written, CustomerMatchKind Kind, double Confidence);
