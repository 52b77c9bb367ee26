using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Concord.Core.Flows.Expressions;

/// <summary>
/// Text with <c>{{ expression }}</c> parts, as a flow's field values are written: <c>Invoice {{
/// invoice.number }} for {{ payment.amount | money('EUR') }}</c>. A template that is one <c>{{ … }}</c>
/// and nothing else (whitespace aside) yields the expression's own value, so a number stays a number
/// when it is sent to an API; any other template yields text. Columns in errors count from the first
/// character of the template (and lines from its first line).
/// </summary>
public sealed class Template
{
    private readonly SourceText _source;
    private readonly IReadOnlyList<object> _parts;
    private readonly ExpressionLimits _limits;

    private Template(SourceText source, IReadOnlyList<object> parts, ExpressionLimits limits)
    {
        _source = source;
        _parts = parts;
        _limits = limits;
        Paths = parts.OfType<Node>().SelectMany(StaticCheck.Paths).Distinct(StringComparer.Ordinal).ToList();
        IsSingleExpression = parts.Count(part => part is Node) == 1 && parts.All(part => part is Node || string.IsNullOrWhiteSpace((string)part));
    }

    /// <summary>The names of the built-in functions and filters.</summary>
    public static IEnumerable<string> FunctionNames => Functions.Names;

    /// <summary>The context paths the template reads, each once, in the order written.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>Whether the template is one expression, so <see cref="Evaluate(JsonObject, TimeProvider)"/> keeps its type.</summary>
    public bool IsSingleExpression { get; }

    /// <summary>Parses and statically checks <paramref name="text"/>; throws <see cref="ExpressionException"/> on the first problem.</summary>
    public static Template Parse(string text, ExpressionLimits? limits = null)
    {
        var (template, problems) = Read(text, limits ?? ExpressionLimits.Default);
        return problems.Count > 0 ? throw new ExpressionException(problems[0]) : template!;
    }

    /// <summary>Every problem in <paramref name="text"/> (one per broken <c>{{ … }}</c>), without evaluating it: empty when it is valid.</summary>
    public static IReadOnlyList<ExpressionError> Validate(string text, ExpressionLimits? limits = null) =>
        Read(text, limits ?? ExpressionLimits.Default).Problems;

    /// <summary>The template's value over <paramref name="context"/>: typed for a single expression, text otherwise.</summary>
    public object? Evaluate(JsonObject context, TimeProvider clock) => Evaluate(Context.From(context), clock);

    /// <summary>The template's value over a context of <see cref="Values"/>.</summary>
    public object? Evaluate(IReadOnlyDictionary<string, object?> context, TimeProvider clock)
    {
        var evaluator = new Evaluator(_source, context, clock, _limits);
        if (IsSingleExpression)
        {
            return evaluator.Evaluate(_parts.OfType<Node>().Single());
        }

        var text = new StringBuilder();
        foreach (var part in _parts)
        {
            text.Append(part as string ?? Values.ToText(evaluator.Evaluate((Node)part)));
            if (text.Length > _limits.MaxOutputLength)
            {
                throw _source.Error(part is Node node ? node.Offset : 0, string.Create(CultureInfo.InvariantCulture, $"the result is longer than {_limits.MaxOutputLength} characters"));
            }
        }

        return text.ToString();
    }

    /// <summary>The template's value as text, whatever its type.</summary>
    public string Render(JsonObject context, TimeProvider clock) => Values.ToText(Evaluate(context, clock));

    private static (Template? Template, List<ExpressionError> Problems) Read(string text, ExpressionLimits limits)
    {
        var source = new SourceText(text);
        var problems = new List<ExpressionError>();
        if (text.Length > limits.MaxTextLength)
        {
            problems.Add(source.ErrorAt(limits.MaxTextLength, $"the template is longer than {limits.MaxTextLength} characters"));
            return (null, problems);
        }

        var parts = new List<object>();
        var at = 0;
        while (at < text.Length)
        {
            var open = text.IndexOf("{{", at, StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add(text[at..]);
                break;
            }

            if (open > at)
            {
                parts.Add(text[at..open]);
            }

            var close = FindClose(text, open + 2);
            if (close < 0)
            {
                problems.Add(source.ErrorAt(open, "'{{' is not closed: add '}}'"));
                break;
            }

            try
            {
                var node = Parser.Parse(source, open + 2, close, limits);
                StaticCheck.Check(source, node);
                parts.Add(node);
            }
            catch (ExpressionException problem)
            {
                problems.Add(problem.Error);
            }

            at = close + 2;
        }

        return (problems.Count == 0 ? new Template(source, parts, limits) : null, problems);
    }

    /// <summary>Where the <c>}}</c> closing an expression is, skipping quoted text (which may hold braces).</summary>
    private static int FindClose(string text, int from)
    {
        char? quote = null;
        for (var i = from; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = null;
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '}' && i + 1 < text.Length && text[i + 1] == '}')
            {
                return i;
            }
        }

        return -1;
    }
}
