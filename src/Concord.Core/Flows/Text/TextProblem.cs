namespace Concord.Core.Flows.Text;

/// <summary>Something the text left unclear, said so a person can fix the sentence.</summary>
/// <param name="Code">A stable word for programs: no-amount, two-amounts, two-currencies, ambiguous-customer, …</param>
/// <param name="Message">The explanation for people.</param>
public sealed record TextProblem(string Code, string Message);
