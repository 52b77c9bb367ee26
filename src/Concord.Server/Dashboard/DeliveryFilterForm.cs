namespace Concord.Server.Dashboard;

/// <summary>
/// What the filter form shared by the deliveries list and the transaction log needs: the filter as typed, the
/// systems and flows to pick from, the statuses (or results) that apply, and which of the two pages is open.
/// </summary>
public sealed record DeliveryFilterForm(
    DeliveryFilter Filter,
    IEnumerable<string> Systems,
    IEnumerable<string> Flows,
    IReadOnlyList<(string Value, string Text)> Statuses,
    string StatusLabel,
    string Action,
    bool OnLog);
