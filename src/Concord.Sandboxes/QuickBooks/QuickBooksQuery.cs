using System.Globalization;
using System.Text.RegularExpressions;

namespace Concord.Sandboxes.QuickBooks;

/// <summary>
/// The query forms the sandbox answers: <c>SELECT * FROM Entity [WHERE MetaData.LastUpdatedTime &gt;[=] 'iso' | WHERE Id = 'n']
/// [ORDERBY MetaData.LastUpdatedTime] [STARTPOSITION n] [MAXRESULTS n]</c>.
/// </summary>
public sealed partial record QuickBooksQuery(string Entity, DateTimeOffset? Since, bool Inclusive, string? Id, int Start, int Max)
{
    public static QuickBooksQuery? Parse(string text)
    {
        var m = Grammar().Match(text.Trim());
        if (!m.Success)
        {
            return null;
        }

        DateTimeOffset? since = m.Groups["since"].Success
            ? DateTimeOffset.Parse(m.Groups["since"].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : null;
        return new QuickBooksQuery(
            m.Groups["entity"].Value,
            since,
            m.Groups["op"].Value == ">=",
            m.Groups["id"].Success ? m.Groups["id"].Value : null,
            m.Groups["start"].Success ? int.Parse(m.Groups["start"].Value, CultureInfo.InvariantCulture) : 1,
            m.Groups["max"].Success ? Math.Min(1000, int.Parse(m.Groups["max"].Value, CultureInfo.InvariantCulture)) : 100);
    }

    [GeneratedRegex(@"^SELECT \* FROM (?<entity>\w+)(?: WHERE (?:MetaData\.LastUpdatedTime (?<op>>=?) '(?<since>[^']+)'|Id = '(?<id>\d+)'))?(?: ORDERBY MetaData\.LastUpdatedTime)?(?: STARTPOSITION (?<start>\d+))?(?: MAXRESULTS (?<max>\d+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex Grammar();
}
