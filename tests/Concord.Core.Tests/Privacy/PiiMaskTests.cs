using System.Text.Json.Nodes;
using Concord.Core.Privacy;
using Concord.Core.Schema;

namespace Concord.Core.Tests.Privacy;

public class PiiMaskTests
{
    private static readonly FieldSchema Email = new("email", FieldType.Email, Pii: true);
    private static readonly FieldSchema Phone = new("phone", FieldType.Phone, Pii: true);
    private static readonly FieldSchema Name = new("name", FieldType.String, Pii: true);
    private static readonly FieldSchema City = new("city", FieldType.String);

    private static string? Masked(FieldSchema? field, string value) => PiiMask.Mask(field, JsonValue.Create(value))?.GetValue<string>();

    [Theory]
    [InlineData("ada@example.com", "a***@example.com")]
    [InlineData("Ada.Lovelace+crm@mail.example.org", "A***@mail.example.org")]
    public void Email_keeps_the_first_letter_and_the_domain(string email, string expected)
    {
        Assert.Equal(expected, Masked(Email, email));
    }

    [Theory]
    [InlineData("+44 20 7946 0123", "***0123")]
    [InlineData("(555) 010-9999", "***9999")]
    [InlineData("12345", "***2345")]
    [InlineData("1234", "***")]
    [InlineData("ext. 12", "***")]
    public void Phone_keeps_at_most_the_last_four_digits(string phone, string expected)
    {
        Assert.Equal(expected, Masked(Phone, phone));
    }

    [Theory]
    [InlineData("Ada Lovelace", "A*** L***")]
    [InlineData("  Ada   King  ", "A*** K***")]
    [InlineData("Ada", "A***")]
    public void Other_personal_text_keeps_the_first_letter_of_each_word(string text, string expected)
    {
        Assert.Equal(expected, Masked(Name, text));
    }

    [Fact]
    public void Email_field_holding_something_else_is_masked_word_by_word()
    {
        Assert.Equal("n*** a*** e***", Masked(Email, "not an email"));
    }

    [Fact]
    public void Value_of_a_field_that_is_not_personal_is_kept_as_a_copy()
    {
        var value = JsonValue.Create("London");

        var masked = PiiMask.Mask(City, value);

        Assert.Equal("London", masked?.GetValue<string>());
        Assert.NotSame(value, masked);
    }

    [Fact]
    public void Value_of_an_unknown_field_is_kept()
    {
        Assert.Equal("ada@example.com", Masked(null, "ada@example.com"));
    }

    [Fact]
    public void Null_and_empty_values_are_kept_and_personal_values_of_any_other_shape_are_hidden()
    {
        Assert.Null(PiiMask.Mask(Name, null));
        Assert.Equal("", Masked(Name, ""));
        Assert.Equal("***", PiiMask.Mask(Name, JsonValue.Create(42))?.GetValue<string>());
        Assert.Equal("***", PiiMask.Mask(Name, new JsonArray("a"))?.GetValue<string>());
    }

    [Fact]
    public void Custom_field_marked_pii_is_masked()
    {
        var field = new FieldSchema("passport_no", FieldType.String, Pii: true, Custom: true);

        Assert.Equal("X***", Masked(field, "X1234567"));
    }

    [Theory]
    [InlineData("ada@example.com", "a***@example.com")]
    [InlineData("  ada@example.com", "a***@example.com")]
    [InlineData("ada", "a***")]
    public void MaskEmail_MasksTheLocalPart(string email, string expected)
    {
        Assert.Equal(expected, PiiMask.MaskEmail(email));
    }
}
