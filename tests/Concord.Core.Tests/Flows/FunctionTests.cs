using Concord.Core.Flows.Expressions;
using static Concord.Core.Tests.Flows.ExpressionRig;

namespace Concord.Core.Tests.Flows;

/// <summary>Every built-in function, as a filter and (where it reads naturally) as a call.</summary>
public sealed class FunctionTests
{
    [Theory]
    [InlineData("payment.amount | money", "1,234.50")]
    [InlineData("payment.amount | money('EUR')", "1,234.50 EUR")]
    [InlineData("payment.amount | money(payment.currency)", "1,234.50 EUR")]
    [InlineData("5000.4 | money('jpy')", "5,000 JPY")]
    [InlineData("12.3456 | money('KWD')", "12.346 KWD")]
    [InlineData("0.005 | money", "0.01")]
    [InlineData("-3 | money('USD')", "-3.00 USD")]
    public void Money_uses_the_currencys_minor_units(string expression, string expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("trigger.record.fields.count | number", 42)]
    [InlineData("' 1,250.5 ' | number", 1250.5)]
    [InlineData("number(7)", 7)]
    public void Number_reads_text_as_a_number(string expression, double expected) => Assert.Equal((decimal)expected, Eval(expression));

    [Theory]
    [InlineData("payment.amount | number('#,##0.0')", "1,234.5")]
    [InlineData("3 | number('000')", "003")]
    [InlineData("payment.amount | number('N2')", "1,234.50")]
    public void Number_with_a_format_gives_text(string expression, string expected) => Assert.Equal(expected, Eval(expression));

    [Fact]
    public void Dates_read_format_and_move()
    {
        Assert.Equal(new DateOnly(2026, 3, 1), Eval("payment.paid_on | date"));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero), Eval("'2026-03-01T09:00:00+01:00' | date"));
        Assert.Equal("01/03/2026", Eval("payment.paid_on | date('dd/MM/yyyy')"));
        Assert.Equal("1 Mar 2026", Eval("payment.paid_on | date('d MMM yyyy')"));
        Assert.Equal(Now, Eval("now()"));
        Assert.Equal(new DateOnly(2026, 3, 15), Eval("today()"));
        Assert.Equal("2026-04-14", Eval("today() | add_days(30) | text"));
        Assert.Equal(new DateOnly(2026, 2, 27), Eval("payment.paid_on | add_days(-2)"));
        Assert.Equal(Now.AddDays(1), Eval("now() | add_days(1)"));
        Assert.Equal(14m, Eval("payment.paid_on | days_between(today())"));
        Assert.Equal(-14m, Eval("days_between(today(), payment.paid_on)"));
        Assert.Equal(1m, Eval("days_between('2026-03-14T23:00:00Z', now())"));
        Assert.Null(Eval("missing | days_between(today())"));
    }

    [Theory]
    [InlineData("customer.name | upper", "  JANE DOE  ")]
    [InlineData("customer.email | lower", "jane.doe@example.com")]
    [InlineData("customer.name | trim", "jane DOE")]
    [InlineData("customer.name | trim | title", "Jane Doe")]
    [InlineData("\"o'neil-smith jr\" | title", "O'neil-Smith Jr")]
    [InlineData("trigger.record.fields.name | truncate(4)", "Acm…")]
    [InlineData("trigger.record.fields.name | truncate(7)", "Acme BV")]
    [InlineData("trigger.record.fields.name | left(4)", "Acme")]
    [InlineData("trigger.record.fields.name | left(40)", "Acme BV")]
    [InlineData("trigger.record.fields.name | right(2)", "BV")]
    [InlineData("trigger.record.fields.name | right(0)", "")]
    [InlineData("trigger.record.fields.name | replace('BV', 'B.V.')", "Acme B.V.")]
    [InlineData("'a-b-c' | replace('-', '')", "abc")]
    [InlineData("customer.tags | join", "vip, eu")]
    [InlineData("customer.tags | join(' / ')", "vip / eu")]
    [InlineData("'a,b' | split(',') | last", "b")]
    [InlineData("customer.email | email_domain", "example.com")]
    [InlineData("customer.tags | first", "vip")]
    [InlineData("customer.tags | last", "eu")]
    [InlineData("zero | text", "0")]
    [InlineData("customer.tags | json", "[\"vip\",\"eu\"]")]
    [InlineData("missing | json", "null")]
    [InlineData("'a\"b' | json", "\"a\\u0022b\"")]
    [InlineData("missing | default('n/a')", "n/a")]
    [InlineData("empty | default('n/a')", "n/a")]
    [InlineData("customer.country | default('n/a')", "NL")]
    [InlineData("coalesce(missing, payment.refunded, 'third')", "third")]
    [InlineData("if(payment.amount > 1000, 'large', 'small')", "large")]
    [InlineData("if(zero, 'yes', 'no')", "no")]
    public void Text_functions(string expression, string expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("customer.email | contains('@')", true)]
    [InlineData("customer.tags | contains('vip')", true)]
    [InlineData("customer.tags | contains('VIP')", false)]
    [InlineData("missing | contains('x')", false)]
    [InlineData("customer.email | starts_with('Jane')", true)]
    [InlineData("customer.email | starts_with('jane')", false)]
    [InlineData("customer.email | ends_with('.COM')", true)]
    [InlineData("missing | ends_with('x')", false)]
    public void Tests_on_text_and_lists(string expression, bool expected) => Assert.Equal(expected, Eval(expression));

    [Theory]
    [InlineData("customer.name | length", 12)]
    [InlineData("customer.tags | length", 2)]
    [InlineData("missing | length", 0)]
    [InlineData("'a,b,c' | split(',') | length", 3)]
    [InlineData("2.345 | round(2)", 2.35)]
    [InlineData("2.5 | round", 3)]
    [InlineData("-2.5 | round", -3)]
    [InlineData("-4.2 | abs", 4.2)]
    [InlineData("min(3, 1, 2)", 1)]
    [InlineData("max(3, 1, 2)", 3)]
    [InlineData("numbers | min", 1)]
    [InlineData("numbers | max", 3)]
    [InlineData("numbers | sum", 6)]
    [InlineData("numbers | first", 3)]
    public void Number_functions(string expression, double expected) => Assert.Equal((decimal)expected, Eval(expression));

    [Fact]
    public void Min_and_max_compare_dates_and_skip_nulls()
    {
        Assert.Equal(new DateOnly(2026, 3, 1), Eval("min(today(), missing, payment.paid_on | date)"));
        Assert.Equal(Now, Eval("max(now(), payment.paid_on)"));
        Assert.Null(Eval("[] | first"));
        Assert.Empty((IReadOnlyList<object?>)Eval("missing | split(',')")!);
    }

    [Fact]
    public void Every_function_is_covered_by_these_tests_and_the_docs()
    {
        var root = RepoRoot();
        var tests = string.Concat(Directory.GetFiles(Path.Combine(root, "tests", "Concord.Core.Tests", "Flows"), "*.cs").Select(File.ReadAllText));
        var docs = File.ReadAllText(Path.Combine(root, "docs", "flows.md"));
        foreach (var name in Template.FunctionNames)
        {
            Assert.True(tests.Contains(name + "(", StringComparison.Ordinal) || tests.Contains("| " + name, StringComparison.Ordinal), $"no test uses {name}");
            Assert.Contains("`" + name, docs, StringComparison.Ordinal);
        }
    }

    internal static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "concord.slnx")))
        {
            directory = directory.Parent ?? throw new InvalidOperationException("the repository root was not found");
        }

        return directory.FullName;
    }
}
