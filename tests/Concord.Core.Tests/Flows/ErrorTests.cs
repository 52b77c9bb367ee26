using Concord.Core.Flows.Expressions;
using static Concord.Core.Tests.Flows.ExpressionRig;

namespace Concord.Core.Tests.Flows;

/// <summary>Every kind of error, with the column it points at (1-based, within the text given).</summary>
public sealed class ErrorTests
{
    [Theory]
    [InlineData("payment.amount +", 17, "expected a value, a path or '(' but found the end of the expression")]
    [InlineData("(1 + 2", 7, "expected ')' to close the '(' at column 1 but found the end of the expression")]
    [InlineData("'open", 1, "text starting here is not closed: add a '")]
    [InlineData("a = 1", 3, "'=' is not an operator: compare with '=='")]
    [InlineData("a # b", 3, "unexpected character '#'")]
    [InlineData("a && b", 3, "'&&' is not an operator: write 'and'")]
    [InlineData("a || b", 3, "'||' is not an operator: write 'or'")]
    [InlineData("a b", 3, "expected an operator or the end of the expression but found 'b'")]
    [InlineData("1 < 2 < 3", 7, "comparisons cannot be chained: join them with 'and'")]
    [InlineData("a.", 3, "expected a field name after '.' but found the end of the expression")]
    [InlineData("a[x]", 3, "an index is a whole number ([0]) or a quoted field name (['first name'])")]
    [InlineData("a |", 4, "expected a filter name after '|' but found the end of the expression")]
    [InlineData("[1, 2", 6, "expected ',' or ']' in the list but found the end of the expression")]
    [InlineData("min(1, 2", 9, "expected ',' or ')' to close the arguments opened at column 4 but found the end of the expression")]
    [InlineData("and", 1, "'and' needs a value before it")]
    [InlineData("99999999999999999999999999999999", 1, "number 99999999999999999999999999999999 is too large")]
    [InlineData("'a' | upper + 'b'", 13, "expected an operator or the end of the expression but found '+'")]
    public void Parse_errors(string expression, int column, string message) =>
        AssertError(Fails(expression), column, message);

    [Theory]
    [InlineData("payment.amount | mony('EUR')", 18, "unknown filter 'mony' (did you mean 'money'?)")]
    [InlineData("upperr(customer.name)", 1, "unknown function 'upperr' (did you mean 'upper'?)")]
    [InlineData("x | frobnicate", 5, "unknown filter 'frobnicate'")]
    [InlineData("x | truncate", 5, "'truncate' takes 1 argument(s), got 0: use it as truncate(n)")]
    [InlineData("replace('a')", 1, "'replace' takes 3 argument(s), got 1: use it as replace('old', 'new')")]
    [InlineData("x | money('EUR', 2)", 5, "'money' takes 0 to 1 argument(s), got 2: use it as money or money('EUR')")]
    [InlineData("x | now", 5, "'now' takes no input: call it as now()")]
    [InlineData("payment.paid_on < today", 19, "'today' is a function: write today()")]
    public void Unknown_functions_and_wrong_arity_are_found_before_evaluation(string expression, int column, string message)
    {
        AssertError(Assert.Throws<ExpressionException>(() => Expression.Parse(expression)).Error, column, message);
        AssertError(Assert.Single(Expression.Validate(expression)), column, message);
    }

    [Theory]
    [InlineData("customer.email * 2", 16, "'*' needs two numbers, got text and number (convert text with | number)")]
    [InlineData("trigger.record.fields.count + 1 > 5", 33, "cannot compare text with number (convert text with | number)")]
    [InlineData("customer.tags < 1", 15, "cannot compare list with number")]
    [InlineData("-customer.email", 1, "cannot negate text")]
    [InlineData("payment.amount / zero", 16, "division by zero (guard it with an 'if' or a condition)")]
    [InlineData("payment.amount | upper", 18, "upper: the input needs text, got number (convert it with | text)")]
    [InlineData("customer.name | round", 17, "round: the input needs a number, got text (convert text with | number)")]
    [InlineData("customer.name | date", 17, "date: the input needs a date, got text '  jane DOE  ' (write dates as 2026-01-31 or 2026-01-31T09:30:00Z)")]
    [InlineData("'abc' | number", 9, "number: 'abc' is not a number")]
    [InlineData("1 | number('F999999999')", 5, "number: 'F999999999' is not a number format (try '0.00' or '#,##0')")]
    [InlineData("today() | date('yyyy-MM-dd HH')", 11, "date: 'yyyy-MM-dd HH' is not a date format (try 'yyyy-MM-dd' or 'dd MMM yyyy')")]
    [InlineData("customer.name | first", 17, "first: the input needs a list, got text")]
    [InlineData("'x' | truncate(0)", 7, "truncate: truncate needs a whole number of characters, at least 1")]
    [InlineData("'x' | right(-1)", 7, "right: right needs a whole number of characters, at least 0")]
    [InlineData("'x' | left(1.5)", 7, "left: left needs a whole number of characters, at least 0")]
    [InlineData("'x' | replace('', 'y')", 7, "replace: replace needs some text to look for")]
    [InlineData("'x' | split('')", 7, "split: split needs a separator")]
    [InlineData("1 | round(30)", 5, "round: round needs a whole number of decimal places from 0 to 28")]
    [InlineData("today() | add_days(0.5)", 11, "add_days: add_days needs a whole number of days (at most 100000)")]
    [InlineData("min(1, 'a')", 1, "min: cannot compare text with number")]
    [InlineData("['a'] | sum", 9, "sum: sum adds numbers, got text")]
    [InlineData("1 in 5", 3, "cannot look inside number: use text, a list or an object")]
    [InlineData("zero | length", 8, "length: length needs text, a list or an object, got number")]
    [InlineData("79228162514264337593543950335 * 2", 31, "the result is too large for a number")]
    public void Evaluation_errors(string expression, int column, string message) =>
        AssertError(Fails(expression), column, message);

    [Fact]
    public void The_caller_attaches_the_flow_and_step()
    {
        var problem = Assert.Throws<ExpressionException>(() => Template.Parse("Paid: {{ amount | mony }}"));

        var located = problem.At("flow 'payment-to-books', step 'notify'");

        Assert.Equal("flow 'payment-to-books', step 'notify', column 19: unknown filter 'mony' (did you mean 'money'?)", located.Message);
        Assert.Equal("column 19: unknown filter 'mony' (did you mean 'money'?)", problem.Message);
        Assert.Equal(19, located.Error.Column);
    }

    [Fact]
    public void Template_columns_count_from_the_start_of_the_template_and_lines_from_its_first_line()
    {
        var error = Assert.Throws<ExpressionException>(() => Template.Parse("Dear {{ name }},\n  total {{ amount | mony }}")).Error;
        Assert.Equal((2, 21), (error.Line, error.Column));
        Assert.Equal("line 2, column 21: unknown filter 'mony' (did you mean 'money'?)", error.Describe());

        var runtime = Assert.Throws<ExpressionException>(() => Render("x {{ customer.email * 2 }}")).Error;
        Assert.Equal(21, runtime.Column);
    }

    [Fact]
    public void Validate_reports_every_broken_part_of_a_template()
    {
        var problems = Template.Validate("{{ a | mony }} ok {{ (b }} {{ c | upper }} {{ }} {{ d");

        Assert.Equal(
            [
                "column 8: unknown filter 'mony' (did you mean 'money'?)",
                "column 25: expected ')' to close the '(' at column 22 but found the end of the expression",
                "column 46: empty expression: write a value, a path or a call between the braces",
                "column 50: '{{' is not closed: add '}}'",
            ],
            problems.Select(problem => problem.Describe()));
        Assert.Empty(Template.Validate("Hello {{ customer.name | title }}"));
        Assert.Empty(Expression.Validate("a > 1 and b in [1, 2]"));
    }

    private static void AssertError(ExpressionError error, int column, string message)
    {
        Assert.Equal(message, error.Message);
        Assert.Equal(column, error.Column);
    }
}
