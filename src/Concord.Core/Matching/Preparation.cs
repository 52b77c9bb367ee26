namespace Concord.Core.Matching;

/// <summary>How a field's raw value is made canonical before it is compared or blocked on.</summary>
public enum Preparation
{
    /// <summary>Lower-case words (<see cref="TextNormal.Clean"/>).</summary>
    Text,

    /// <summary>A person's name: lower-case words.</summary>
    Name,

    /// <summary>A business name without legal form (<see cref="CompanyNames.Normalize"/>).</summary>
    Company,

    /// <summary>A street address with abbreviations spelt out (<see cref="Addresses.Normalize"/>).</summary>
    Address,

    /// <summary>Digits only: phones, postcodes, identity numbers.</summary>
    Digits,

    /// <summary>Trimmed and lower case.</summary>
    Email,

    /// <summary>Canonical <c>yyyyMMdd</c> (<see cref="Dates.Canonical"/>).</summary>
    Date,

    /// <summary>A number (<see cref="Numbers.Parse"/>).</summary>
    Number,
}
