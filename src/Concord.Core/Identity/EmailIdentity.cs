namespace Concord.Core.Identity;

/// <summary>
/// What an email address says about who someone is. Providers deliver several spellings of one
/// mailbox (Gmail ignores dots; most providers deliver <c>ann+news@</c> to <c>ann@</c>), so those
/// are one identity. Role addresses (<c>info@</c>, <c>billing@</c>) are shared by many people and
/// identify no one; free-mail domains identify no company.
/// </summary>
public static class EmailIdentity
{
    /// <summary>Mailboxes a team shares: matching on them would merge different people.</summary>
    public static readonly IReadOnlySet<string> RoleMailboxes = new HashSet<string>(StringComparer.Ordinal)
    {
        "info", "billing", "accounts", "accounting", "admin", "administrator", "sales", "support", "help", "contact", "hello",
        "office", "team", "enquiries", "inquiries", "finance", "invoices", "invoice", "payments", "hr", "jobs", "careers",
        "marketing", "noreply", "no-reply", "donotreply", "do-not-reply", "postmaster", "webmaster", "test", "testing",
    };

    /// <summary>Consumer mail providers: their domain says nothing about a person's company.</summary>
    public static readonly IReadOnlySet<string> FreeMailDomains = new HashSet<string>(StringComparer.Ordinal)
    {
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "ymail.com", "hotmail.com", "hotmail.co.uk",
        "hotmail.fr", "outlook.com", "live.com", "msn.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com",
        "gmx.com", "gmx.de", "gmx.net", "web.de", "mail.com", "mail.ru", "yandex.ru", "yandex.com", "qq.com", "163.com", "126.com",
        "zoho.com", "fastmail.com", "hey.com", "tutanota.com", "comcast.net", "btinternet.com", "orange.fr", "free.fr", "libero.it",
    };

    private static readonly HashSet<string> DotBlind = new(StringComparer.Ordinal) { "gmail.com", "googlemail.com" };

    /// <summary>The mailbox an address reaches, for matching; null when it is not an address or a role mailbox.</summary>
    public static string? Canonical(string value)
    {
        var folded = Normalizers.Email(value);
        if (folded is null)
        {
            return null;
        }

        var at = folded.LastIndexOf('@');
        var local = folded[..at];
        var domain = folded[(at + 1)..];
        var plus = local.IndexOf('+', StringComparison.Ordinal);
        if (plus > 0)
        {
            local = local[..plus];
        }

        if (RoleMailboxes.Contains(local))
        {
            return null;
        }

        if (domain == "googlemail.com")
        {
            domain = "gmail.com";
        }

        if (DotBlind.Contains(domain))
        {
            local = local.Replace(".", "", StringComparison.Ordinal);
        }

        return local.Length == 0 ? null : local + "@" + domain;
    }

    public static bool IsFreeMail(string domain) => FreeMailDomains.Contains(domain);
}
