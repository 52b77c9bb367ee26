using System.Globalization;

namespace Concord.Connectors.HubSpot;

/// <summary>
/// Where a HubSpot search feed stands: the last-modified time (Unix ms) the next query starts at
/// (GTE), how many records at exactly that time to step over with <c>after</c> (only when more of
/// them share it than fit a page), and the ids at that time already read. Written as
/// <c>since|offset|id,id</c>.
/// </summary>
public sealed record HubSpotCursor(long Since, int Offset, IReadOnlyList<string> Seen)
{
    public static HubSpotCursor Parse(string text)
    {
        var parts = text.Split('|');
        if (parts.Length != 3 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var since)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            throw new FormatException($"'{text}' is not a HubSpot poll cursor (since|offset|ids)");
        }

        return new HubSpotCursor(since, offset, parts[2].Length == 0 ? [] : parts[2].Split(','));
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Since}|{Offset}|{string.Join(',', Seen)}");
}
