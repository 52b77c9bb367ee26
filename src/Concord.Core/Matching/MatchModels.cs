namespace Concord.Core.Matching;

/// <summary>
/// Default match models for the entity types that describe people and businesses. Fields a
/// record set does not have are simply missing (they neither help nor hurt a pair), so one
/// model serves sources with different columns.
/// </summary>
public static class MatchModels
{
    private static readonly ComparisonLevel Exact = new(LevelKind.Exact);

    /// <summary>
    /// Block size above which the people rules split a block by one more key. A person's own
    /// copies rarely number more than a dozen, while a block of strangers sharing a birth date
    /// or a common name grows with the store (about 34 per birth date at a million people); past
    /// this size the extra key keeps the copies together and drops most of the strangers.
    /// </summary>
    private const int RefineAbove = 16;

    private static readonly BlockingKey BirthYear = new("dob", Preparation.Date, KeyTransform.Prefix, 4);
    private static readonly BlockingKey FirstSound = new("first_name", Preparation.Name, KeyTransform.Phonetic);
    private static readonly BlockingKey LastSound = new("last_name", Preparation.Name, KeyTransform.Phonetic);
    private static readonly BlockingKey LastInitial = new("last_name", Preparation.Name, KeyTransform.Prefix, 1);

    /// <summary>People: customers, contacts.</summary>
    public static MatchModel Customer { get; } = new(
        "customer",
        [
            Name("first_name", "last_name"),
            Name("last_name", "first_name"),
            new("dob", Preparation.Date, [Exact, new(LevelKind.DateTypo), new(LevelKind.DateWithinDays, 366)]),
            new("address", Preparation.Address, [Exact, new(LevelKind.JaroWinkler, 0.92), new(LevelKind.TokenSet, 0.5)]),
            new("address2", Preparation.Text, [Exact, new(LevelKind.JaroWinkler, 0.88)]),
            new("city", Preparation.Text, [Exact, new(LevelKind.JaroWinkler, 0.88)]),
            new("postcode", Preparation.Text, [Exact, new(LevelKind.EditDistance, 1)]),
            new("state", Preparation.Text, [Exact]),
            new("phone", Preparation.Digits, [Exact, new(LevelKind.EditDistance, 1)]),
            new("email", Preparation.Email, [Exact, new(LevelKind.EmailUser), new(LevelKind.JaroWinkler, 0.88)]),
            new("national_id", Preparation.Text, [Exact, new(LevelKind.EditDistance, 1)]),
        ],
        [
            new("last name sound + first initial", [new("last_name", Preparation.Name, KeyTransform.Phonetic), new("first_name", Preparation.Name, KeyTransform.Prefix, 1)])
            {
                Refinement = [BirthYear], RefineAbove = RefineAbove,
            },
            new("first name sound + birth year", [new("first_name", Preparation.Name, KeyTransform.Phonetic), new("dob", Preparation.Date, KeyTransform.Prefix, 4)])
            {
                Refinement = [LastInitial], RefineAbove = RefineAbove,
            },
            new("birth date", [new("dob", Preparation.Date)], MaxBlockSize: 500)
            {
                // Either name's sound, pooled: names swapped between the fields, or one of them missing, still meet.
                Refinement = [FirstSound, LastSound], RefineAbove = RefineAbove,
            },
            new("postcode + address start", [new("postcode", Preparation.Text), new("address", Preparation.Address, KeyTransform.Prefix, 4)]),
            new("email", [new("email", Preparation.Email)]),
            new("phone", [new("phone", Preparation.Digits)]),
            new("national id", [new("national_id", Preparation.Text)]),
        ],
        new MatchThresholds());

    /// <summary>Businesses: companies, suppliers, venues.</summary>
    public static MatchModel Company { get; } = new(
        "company",
        [
            new("name", Preparation.Company, [Exact, new(LevelKind.TokenSet, 0.8), new(LevelKind.TokenOverlap, 1), new(LevelKind.JaroWinkler, 0.92), new(LevelKind.TokenSet, 0.6)]) { TermFrequency = true },
            new("address", Preparation.Address, [Exact, new(LevelKind.TokenOverlap, 1), new(LevelKind.JaroWinkler, 0.92), new(LevelKind.TokenOverlap, 0.6)]) { TermFrequency = true },
            new("city", Preparation.Text, [Exact, new(LevelKind.JaroWinkler, 0.88)]),
            new("postcode", Preparation.Text, [Exact, new(LevelKind.EditDistance, 1)]),
            new("phone", Preparation.Digits, [Exact, new(LevelKind.EditDistance, 1)]),
            new("domain", Preparation.Email, [Exact]),
        ],
        [
            new("name", [new("name", Preparation.Company)], MaxBlockSize: 100),
            new("name word", [new("name", Preparation.Company, KeyTransform.Tokens, 3)], MaxBlockSize: 100),
            new("address start + city", [new("address", Preparation.Address, KeyTransform.Prefix, 6), new("city", Preparation.Text)]),
            new("phone", [new("phone", Preparation.Digits)]),
            new("domain", [new("domain", Preparation.Email)]),
        ],
        new MatchThresholds());

    /// <summary>The default model of an entity type, or null when there is none.</summary>
    public static MatchModel? For(string entityType) => entityType switch
    {
        "customer" or "contact" or "person" => Customer,
        "company" or "supplier" or "vendor" => Company,
        _ => null,
    };

    private static Comparison Name(string field, string swap) => new(
        field,
        Preparation.Name,
        [Exact, new(LevelKind.JaroWinkler, 0.92), new(LevelKind.JaroWinkler, 0.88), new(LevelKind.Swapped, 0.92), new(LevelKind.Phonetic)],
        swap)
    {
        TermFrequency = true,
    };
}
