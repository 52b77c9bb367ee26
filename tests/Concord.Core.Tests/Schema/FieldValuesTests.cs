using System.Text.Json;
using System.Text.Json.Nodes;
using Concord.Core.Schema;

namespace Concord.Core.Tests.Schema;

public class FieldValuesTests
{
    private static JsonNode? Accepted(FieldType type, string json)
    {
        var ok = FieldValues.TryNormalize(new FieldSchema("f", type), Parse(json), out var result, out var error);
        Assert.True(ok, error);
        Assert.Null(error);
        return result;
    }

    private static string Rejected(FieldType type, string json)
    {
        var ok = FieldValues.TryNormalize(new FieldSchema("f", type), Parse(json), out var result, out var error);
        Assert.False(ok);
        Assert.Null(result);
        Assert.NotNull(error);
        return error;
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    [Theory]
    [InlineData(FieldType.String)]
    [InlineData(FieldType.Integer)]
    [InlineData(FieldType.Money)]
    [InlineData(FieldType.Boolean)]
    [InlineData(FieldType.Date)]
    [InlineData(FieldType.DateTime)]
    [InlineData(FieldType.Currency)]
    [InlineData(FieldType.Email)]
    public void Null_is_accepted_for_every_type(FieldType type)
    {
        Assert.Null(Accepted(type, "null"));
    }

    [Theory]
    [InlineData("42", 42)]
    [InlineData("-7", -7)]
    [InlineData("\"42\"", 42)]
    [InlineData("9007199254740993", 9007199254740993)]
    public void Integer_from_a_number_or_a_numeric_string_is_a_json_number(string json, long expected)
    {
        var result = Accepted(FieldType.Integer, json);

        Assert.Equal(JsonValueKind.Number, result!.GetValueKind());
        Assert.Equal(expected, result.GetValue<long>());
    }

    [Theory]
    [InlineData("4.5", "must be a whole number, not 4.5")]
    [InlineData("\"4.5\"", "must be a whole number, not \"4.5\"")]
    [InlineData("\"many\"", "must be a whole number, not \"many\"")]
    [InlineData("true", "must be a whole number, not true")]
    [InlineData("[1]", "must be a whole number, not a list")]
    public void Integer_rejects_anything_else_with_a_clear_message(string json, string message)
    {
        Assert.Equal(message, Rejected(FieldType.Integer, json));
    }

    [Theory]
    [InlineData(FieldType.Money, "19.99", "19.99")]
    [InlineData(FieldType.Money, "\"19.99\"", "19.99")]
    [InlineData(FieldType.Money, "\"-0.5\"", "-0.5")]
    [InlineData(FieldType.Money, "\" 1234.50 \"", "1234.50")]
    [InlineData(FieldType.Number, "0.25", "0.25")]
    [InlineData(FieldType.Number, "1e3", "1000")]
    public void Money_and_numbers_are_json_numbers(FieldType type, string json, string expected)
    {
        var result = Accepted(type, json);

        Assert.Equal(JsonValueKind.Number, result!.GetValueKind());
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), result.GetValue<decimal>());
    }

    [Fact]
    public void Money_written_as_a_string_equals_the_same_amount_written_as_a_number()
    {
        Assert.True(JsonNode.DeepEquals(Accepted(FieldType.Money, "\"19.99\""), Accepted(FieldType.Money, "19.99")));
    }

    [Theory]
    [InlineData("\"twelve\"", "\"twelve\"")]
    [InlineData("{\"amount\": 1}", "an object")]
    [InlineData("false", "false")]
    [InlineData("\"1,50\"", "\"1,50\"")]
    [InlineData("\"1,234.50\"", "\"1,234.50\"")]
    public void Money_rejects_what_is_not_a_plain_number(string json, string described)
    {
        Assert.Equal($"must be a number such as 1250.50 (a point for decimals, no thousands separators), not {described}", Rejected(FieldType.Money, json));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void Boolean_accepts_json_booleans(string json, bool expected)
    {
        Assert.Equal(expected, Accepted(FieldType.Boolean, json)!.GetValue<bool>());
    }

    [Theory]
    [InlineData("1", "must be true or false, not 1")]
    [InlineData("\"yes\"", "must be true or false, not \"yes\"")]
    public void Boolean_rejects_other_values(string json, string message)
    {
        Assert.Equal(message, Rejected(FieldType.Boolean, json));
    }

    [Fact]
    public void Date_is_kept_as_yyyy_MM_dd()
    {
        Assert.Equal("2026-11-22", Accepted(FieldType.Date, "\"2026-11-22\"")!.GetValue<string>());
    }

    [Theory]
    [InlineData("\"22/11/2026\"")]
    [InlineData("\"2026-02-30\"")]
    [InlineData("\"2026-11-22T09:30:00Z\"")]
    public void Date_rejects_other_spellings_and_impossible_dates(string json)
    {
        Assert.StartsWith("must be a date written yyyy-MM-dd, not \"", Rejected(FieldType.Date, json), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-11-22T09:30:00Z", "2026-11-22T09:30:00Z")]
    [InlineData("2026-11-22T10:30:00+01:00", "2026-11-22T09:30:00Z")]
    [InlineData("2026-11-22T01:30:00-08:00", "2026-11-22T09:30:00Z")]
    [InlineData("2026-11-22T09:30:00", "2026-11-22T09:30:00Z")]
    [InlineData("2026-11-22T09:30:00.250Z", "2026-11-22T09:30:00.25Z")]
    [InlineData("2026-11-22T23:30:00-01:00", "2026-11-23T00:30:00Z")]
    public void DateTime_is_converted_to_utc_iso_8601(string written, string expected)
    {
        Assert.Equal(expected, Accepted(FieldType.DateTime, $"\"{written}\"")!.GetValue<string>());
    }

    [Theory]
    [InlineData("\"yesterday\"", "must be an ISO 8601 time such as 2026-11-22T09:30:00Z, not \"yesterday\"")]
    [InlineData("1732267800", "must be a string, not 1732267800")]
    public void DateTime_rejects_what_is_not_a_time(string json, string message)
    {
        Assert.Equal(message, Rejected(FieldType.DateTime, json));
    }

    [Theory]
    [InlineData("eur", "EUR")]
    [InlineData("Usd", "USD")]
    [InlineData("GBP", "GBP")]
    public void Currency_is_upper_case(string written, string expected)
    {
        Assert.Equal(expected, Accepted(FieldType.Currency, $"\"{written}\"")!.GetValue<string>());
    }

    [Theory]
    [InlineData("EURO")]
    [InlineData("E1R")]
    [InlineData("€")]
    public void Currency_rejects_what_is_not_a_three_letter_code(string written)
    {
        Assert.Equal($"must be a three-letter ISO 4217 currency code, not \"{written}\"", Rejected(FieldType.Currency, $"\"{written}\""));
    }

    [Theory]
    [InlineData("Ada@Example.com")]
    [InlineData("")]
    public void Email_is_kept_as_written(string written)
    {
        Assert.Equal(written, Accepted(FieldType.Email, $"\"{written}\"")!.GetValue<string>());
    }

    [Theory]
    [InlineData("ada")]
    [InlineData("@example.com")]
    [InlineData("ada@")]
    public void Email_rejects_what_is_not_an_address(string written)
    {
        Assert.Equal($"must be an email address, not \"{written}\"", Rejected(FieldType.Email, $"\"{written}\""));
    }

    [Theory]
    [InlineData(FieldType.String, "  Ada  Lovelace ")]
    [InlineData(FieldType.Text, "line one\nline two")]
    [InlineData(FieldType.Phone, "+44 20 7946 0000")]
    [InlineData(FieldType.Url, "https://example.com/pay")]
    [InlineData(FieldType.Domain, "Example.com")]
    [InlineData(FieldType.Reference, "cus_123")]
    public void Text_like_values_are_kept_exactly_as_written(FieldType type, string written)
    {
        var result = Accepted(type, JsonSerializer.Serialize(written));

        Assert.Equal(written, result!.GetValue<string>());
    }

    [Theory]
    [InlineData("5", "must be a string, not 5")]
    [InlineData("true", "must be a string, not true")]
    [InlineData("{}", "must be a string, not an object")]
    [InlineData("[\"a\"]", "must be a string, not a list")]
    public void Text_like_types_reject_other_json_kinds(string json, string message)
    {
        Assert.Equal(message, Rejected(FieldType.String, json));
    }

    [Fact]
    public void String_longer_than_64_KiB_is_rejected()
    {
        var json = JsonSerializer.Serialize(new string('x', 65_537));

        Assert.Equal("is longer than 65,536 characters", Rejected(FieldType.String, json));
        Assert.NotNull(Accepted(FieldType.String, JsonSerializer.Serialize(new string('x', 65_536))));
    }

    [Fact]
    public void Long_invalid_value_is_clipped_in_the_message()
    {
        var written = new string('a', 41) + "@";

        var message = Rejected(FieldType.Email, JsonSerializer.Serialize(written));

        Assert.Equal($"must be an email address, not \"{new string('a', 40)}…\"", message);
    }

    [Theory]
    [InlineData("\"10:30\"")]
    [InlineData("\"11/22/2026\"")]
    public void Date_times_must_be_iso_8601(string json)
    {
        Assert.StartsWith("must be an ISO 8601 time", Rejected(FieldType.DateTime, json), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"a b@x.com\"")]
    [InlineData("\"  @x.com\"")]
    [InlineData("\"a@b@c.com\"")]
    [InlineData("\"   \"")]
    public void Emails_must_look_like_an_address(string json)
    {
        Assert.StartsWith("must be an email address", Rejected(FieldType.Email, json), StringComparison.Ordinal);
    }
}
