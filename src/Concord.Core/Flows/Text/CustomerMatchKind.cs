namespace Concord.Core.Flows.Text;

/// <summary>How the customer was recognised; the later the value, the more a person should look at it.</summary>
public enum CustomerMatchKind
{
    /// <summary>The text is the customer's name (letters, digits and spacing aside).</summary>
    Name,

    /// <summary>The text is one of the customer's aliases.</summary>
    Alias,

    /// <summary>The text is one of the customer's e-mail addresses.</summary>
    Email,

    /// <summary>The same name once legal forms and "&amp;" are set aside ("Acme" for "Acme Corp.").</summary>
    CompanyName,

    /// <summary>A close spelling (Jaro–Winkler), e.g. a typo.</summary>
    Fuzzy,
}
