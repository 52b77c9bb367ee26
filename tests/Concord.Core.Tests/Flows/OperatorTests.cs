using static Concord.Core.Tests.Flows.ExpressionRig;

namespace Concord.Core.Tests.Flows;

public sealed class OperatorTests
{
    [Theory]
    [InlineData("42", 42)]
    [InlineData("3.25", 3.25)]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("(1 + 2) * 3", 9)]
    [InlineData("10 - 4 - 3", 3)]
    [InlineData("7 / 2", 3.5)]
    [InlineData("-payment.amount", -1234.5)]
    [InlineData("0.1 + 0.2", 0.3)]
    [InlineData("lines[0].qty * lines[0].price + lines[1].price", 119.98)]
    public void Arithmetic_is_decimal(string expression, double expected) =>
        Assert.Equal((decimal)expected, Eval(expression));

    [Theory]
    [InlineData("'single'", "single")]
    [InlineData("\"double\"", "double")]
    [InlineData("'it\\'s'", "it's")]
    [InlineData("'INV-' + 7", "INV-7")]
    [InlineData("customer.country + '-' + steps.find_contact.id", "NL-c_17")]
    [InlineData("trigger.record.fields.name", "Acme BV")]
    [InlineData("trigger.record.fields['name']", "Acme BV")]
    [InlineData("customer.tags[1]", "eu")]
    public void Texts_and_paths(string expression, string expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("payment.amount == 1234.50", true)]
    [InlineData("payment.amount != 1234.5", false)]
    [InlineData("payment.amount > 1000", true)]
    [InlineData("payment.amount >= 1234.5", true)]
    [InlineData("payment.amount < 1000", false)]
    [InlineData("payment.amount <= 1234.5", true)]
    [InlineData("'abc' < 'abd'", true)]
    [InlineData("payment.paid_on < today()", true)]
    [InlineData("payment.paid_on == '2026-03-01'", true)]
    [InlineData("'5' == 5", false)]
    [InlineData("true == true", true)]
    [InlineData("[1, 'a'] == [1, 'a']", true)]
    public void Comparisons(string expression, bool expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("true and false", false)]
    [InlineData("true or false", true)]
    [InlineData("not false", true)]
    [InlineData("!true", false)]
    [InlineData("payment.amount > 100 and customer.country == 'NL'", true)]
    [InlineData("payment.amount > 5000 or customer.country == 'NL'", true)]
    [InlineData("not payment.amount > 5000", true)]
    [InlineData("empty or zero", false)]
    [InlineData("customer.tags and 'x'", true)]
    public void Logic_uses_truthiness(string expression, bool expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("customer.country in ['NL', 'BE']", true)]
    [InlineData("customer.country in ['DE']", false)]
    [InlineData("'vip' in customer.tags", true)]
    [InlineData("'Acme' in trigger.record.fields.name", true)]
    [InlineData("'name' in trigger.record.fields", true)]
    [InlineData("customer.country not in ['NL']", false)]
    [InlineData("'x' in missing.list", false)]
    public void In_looks_inside_lists_texts_and_objects(string expression, bool expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("missing.path")]
    [InlineData("payment.missing.deeper")]
    [InlineData("customer.tags[9]")]
    [InlineData("customer.email[0]")]
    [InlineData("payment.refunded")]
    [InlineData("missing + 1")]
    [InlineData("-missing")]
    [InlineData("missing | upper")]
    [InlineData("missing | money('EUR')")]
    public void Missing_values_are_null_never_errors(string expression) => Assert.Null(Eval(expression));

    [Theory]
    [InlineData("missing == null", true)]
    [InlineData("payment.refunded == null", true)]
    [InlineData("missing != null", false)]
    [InlineData("missing < 5", false)]
    [InlineData("missing > 5", false)]
    public void Null_compares_equal_only_to_null(string expression, bool expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("payment.amount * 2 | money", "2,469.00")]
    [InlineData("1 + 2 | money", "3.00")]
    [InlineData("missing ?? 'none' | upper", "NONE")]
    [InlineData("(missing ?? 'none') | upper", "NONE")]
    [InlineData("if(customer.email | email_domain == 'example.com', 'ours', 'theirs')", "ours")]
    public void Filters_bind_looser_than_arithmetic_and_tighter_than_comparison(string expression, string expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("missing ?? 'none'", "none")]
    [InlineData("payment.refunded ?? missing ?? 'last'", "last")]
    [InlineData("customer.country ?? 'none'", "NL")]
    [InlineData("empty ?? 'none'", "")]
    public void Coalesce_operator_takes_the_first_non_null(string expression, string expected) => Assert.Equal(expected, Eval(expression));
}
