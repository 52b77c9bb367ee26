using System.Text.Json.Nodes;
using Concord.Core.Schema;

namespace Concord.Core.Privacy;

/// <summary>
/// Masks personal data before it is written to the transaction log: enough stays to recognise a
/// value (first letter, domain, last digits), not enough to read it.
/// </summary>
public static class PiiMask
{
    public static JsonNode? Mask(FieldSchema? field, JsonNode? value)
    {
        if (field is null || !field.Pii || value is null)
        {
            return value?.DeepClone();
        }

        if (value is not JsonValue v || !v.TryGetValue<string>(out var text))
        {
            return JsonValue.Create("***");
        }

        if (text.Length == 0)
        {
            return value.DeepClone();
        }

        return JsonValue.Create(field.Type switch
        {
            FieldType.Email => MaskEmail(text),
            FieldType.Phone => MaskDigits(text),
            _ => MaskWords(text),
        });
    }

    public static string MaskEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at <= 0 ? MaskWords(email) : $"{email.TrimStart()[0]}***{email[at..]}";
    }

    private static string MaskDigits(string phone)
    {
        var digits = phone.Where(char.IsAsciiDigit).ToArray();
        return digits.Length <= 4 ? "***" : "***" + new string(digits[^4..]);
    }

    private static string MaskWords(string text) =>
        string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w[0] + "***"));
}
