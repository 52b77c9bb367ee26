using System.Globalization;

namespace Concord.Core.Flows.Expressions;

/// <summary>
/// Recursive-descent parser for one expression. Precedence, loosest first: <c>??</c>, <c>or</c>,
/// <c>and</c>, <c>not</c>, comparisons and <c>in</c>, <c>|</c> filters, <c>+ -</c>, <c>* /</c>, unary
/// minus, then literals, paths, calls and parentheses. Filters sit between arithmetic and comparison so
/// both <c>amount * 1.21 | money</c> and <c>email | email_domain == 'example.com'</c> read as people mean them. Nesting is counted so a deeply nested text fails cleanly
/// instead of exhausting the stack.
/// </summary>
internal sealed class Parser
{
    private static readonly HashSet<string> Comparisons = ["==", "!=", "<", "<=", ">", ">="];
    private static readonly HashSet<string> Keywords = ["and", "or", "not", "in", "true", "false", "null"];

    private readonly SourceText _source;
    private readonly List<Token> _tokens;
    private readonly ExpressionLimits _limits;
    private int _at;
    private int _depth;

    private Parser(SourceText source, List<Token> tokens, ExpressionLimits limits)
    {
        _source = source;
        _tokens = tokens;
        _limits = limits;
    }

    /// <summary>Parses the expression between <paramref name="start"/> and <paramref name="end"/> of <paramref name="source"/>.</summary>
    public static Node Parse(SourceText source, int start, int end, ExpressionLimits limits)
    {
        var parser = new Parser(source, Tokenizer.Tokenize(source, start, end), limits);
        if (parser.Current.Kind == TokenKind.End)
        {
            throw source.Error(start, "empty expression: write a value, a path or a call between the braces");
        }

        var node = parser.ParseExpression();
        if (parser.Current.Kind != TokenKind.End)
        {
            throw parser.Unexpected("an operator or the end of the expression");
        }

        return node;
    }

    private Token Current => _tokens[_at];

    private Token Next() => _tokens[_at++];

    private Node ParseExpression()
    {
        Enter();
        var node = ParseCoalesce();
        _depth--;
        return node;
    }

    private Node ParsePipe()
    {
        var node = ParseAdditive();
        var chained = 0;
        while (Current.Is("|"))
        {
            Enter();
            chained++;
            Next();
            var name = Current;
            if (name.Kind != TokenKind.Name)
            {
                throw Unexpected("a filter name after '|'");
            }

            Next();
            var arguments = new List<Node> { node };
            if (Current.Is("("))
            {
                arguments.AddRange(ParseArguments());
            }

            node = new CallNode(name.Value, arguments, true, name.Offset);
        }

        _depth -= chained;
        return node;
    }

    private Node ParseCoalesce()
    {
        var node = ParseOr();
        var chained = 0;
        while (Current.Is("??"))
        {
            Enter();
            chained++;
            var op = Next();
            node = new BinaryNode("??", node, ParseOr(), op.Offset);
        }

        _depth -= chained;
        return node;
    }

    private Node ParseOr()
    {
        var node = ParseAnd();
        var chained = 0;
        while (Current.IsWord("or"))
        {
            Enter();
            chained++;
            var op = Next();
            node = new BinaryNode("or", node, ParseAnd(), op.Offset);
        }

        _depth -= chained;
        return node;
    }

    private Node ParseAnd()
    {
        var node = ParseNot();
        var chained = 0;
        while (Current.IsWord("and"))
        {
            Enter();
            chained++;
            var op = Next();
            node = new BinaryNode("and", node, ParseNot(), op.Offset);
        }

        _depth -= chained;
        return node;
    }

    private Node ParseNot()
    {
        if (Current.IsWord("not") || Current.Is("!"))
        {
            var op = Next();
            return new UnaryNode("not", Nested(ParseNot), op.Offset);
        }

        return ParseComparison();
    }

    private Node ParseComparison()
    {
        var node = ParsePipe();
        if (Current.Kind == TokenKind.Symbol && Comparisons.Contains(Current.Value))
        {
            var op = Next();
            node = new BinaryNode(op.Value, node, ParsePipe(), op.Offset);
        }
        else if (Current.IsWord("in"))
        {
            var op = Next();
            node = new BinaryNode("in", node, ParsePipe(), op.Offset);
        }
        else if (Current.IsWord("not") && _tokens[_at + 1].IsWord("in"))
        {
            var op = Next();
            Next();
            node = new UnaryNode("not", new BinaryNode("in", node, ParsePipe(), op.Offset), op.Offset);
        }

        if (Current.Kind == TokenKind.Symbol && Comparisons.Contains(Current.Value))
        {
            throw _source.Error(Current.Offset, "comparisons cannot be chained: join them with 'and'");
        }

        return node;
    }

    private Node ParseAdditive()
    {
        var node = ParseMultiplicative();
        var chained = 0;
        while (Current.Is("+") || Current.Is("-"))
        {
            Enter();
            chained++;
            var op = Next();
            node = new BinaryNode(op.Value, node, ParseMultiplicative(), op.Offset);
        }

        _depth -= chained;
        return node;
    }

    private Node ParseMultiplicative()
    {
        var node = ParseUnary();
        var chained = 0;
        while (Current.Is("*") || Current.Is("/"))
        {
            Enter();
            chained++;
            var op = Next();
            node = new BinaryNode(op.Value, node, ParseUnary(), op.Offset);
        }

        _depth -= chained;
        return node;
    }

    private Node ParseUnary()
    {
        if (Current.Is("-"))
        {
            var op = Next();
            return new UnaryNode("-", Nested(ParseUnary), op.Offset);
        }

        return ParsePrimary();
    }

    private Node Nested(Func<Node> parse)
    {
        Enter();
        var node = parse();
        _depth--;
        return node;
    }

    /// <summary>
    /// One level deeper in the tree. Operators in a row count too: <c>a + b + c</c> is a tree as deep as it
    /// is long, and evaluation recurses through it.
    /// </summary>
    private void Enter()
    {
        if (++_depth > _limits.MaxDepth)
        {
            throw _source.Error(Current.Offset, string.Create(CultureInfo.InvariantCulture, $"expression nests deeper than {_limits.MaxDepth} levels"));
        }
    }

    private Node ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                Next();
                if (!decimal.TryParse(token.Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                {
                    throw _source.Error(token.Offset, $"number {token.Value} is too large");
                }

                return new LiteralNode(number, token.Offset);
            case TokenKind.Text:
                Next();
                return new LiteralNode(token.Value, token.Offset);
            case TokenKind.Symbol when token.Is("("):
                {
                    Next();
                    var inner = ParseExpression();
                    Expect(")", "')' to close the '(' at column " + _source.ErrorAt(token.Offset, "").Column.ToString(CultureInfo.InvariantCulture));
                    return inner;
                }

            case TokenKind.Symbol when token.Is("["):
                {
                    Next();
                    var items = new List<Node>();
                    while (!Current.Is("]"))
                    {
                        items.Add(ParseExpression());
                        if (!Current.Is(","))
                        {
                            break;
                        }

                        Next();
                    }

                    Expect("]", "',' or ']' in the list");
                    return new ListNode(items, token.Offset);
                }

            case TokenKind.Name:
                Next();
                switch (token.Value)
                {
                    case "true": return new LiteralNode(true, token.Offset);
                    case "false": return new LiteralNode(false, token.Offset);
                    case "null": return new LiteralNode(null, token.Offset);
                }

                if (Keywords.Contains(token.Value))
                {
                    throw _source.Error(token.Offset, $"'{token.Value}' needs a value before it");
                }

                return Current.Is("(") ? new CallNode(token.Value, ParseArguments(), false, token.Offset) : ParsePath(token);
            default:
                throw Unexpected("a value, a path or '('");
        }
    }

    private List<Node> ParseArguments()
    {
        var open = Next();
        var arguments = new List<Node>();
        _depth++;
        while (!Current.Is(")"))
        {
            arguments.Add(ParseExpression());
            if (!Current.Is(","))
            {
                break;
            }

            Next();
        }

        _depth--;
        Expect(")", "',' or ')' to close the arguments opened at column " + _source.ErrorAt(open.Offset, "").Column.ToString(CultureInfo.InvariantCulture));
        return arguments;
    }

    private PathNode ParsePath(Token root)
    {
        var steps = new List<PathStep>();
        while (true)
        {
            if (Current.Is("."))
            {
                Next();
                if (Current.Kind != TokenKind.Name)
                {
                    throw Unexpected("a field name after '.'");
                }

                steps.Add(new PathStep(Next().Value, 0));
            }
            else if (Current.Is("["))
            {
                Next();
                var key = Next();
                if (key.Kind == TokenKind.Number && int.TryParse(key.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    steps.Add(new PathStep(null, index));
                }
                else if (key.Kind == TokenKind.Text)
                {
                    steps.Add(new PathStep(key.Value, 0));
                }
                else
                {
                    throw _source.Error(key.Offset, "an index is a whole number ([0]) or a quoted field name (['first name'])");
                }

                Expect("]", "']' after the index");
            }
            else
            {
                return new PathNode(root.Value, steps, root.Offset);
            }
        }
    }

    private void Expect(string symbol, string what)
    {
        if (!Current.Is(symbol))
        {
            throw Unexpected(what);
        }

        Next();
    }

    private ExpressionException Unexpected(string expected)
    {
        var found = Current.Kind switch
        {
            TokenKind.End => "the end of the expression",
            TokenKind.Text => "text '" + Current.Value + "'",
            _ => "'" + Current.Value + "'",
        };
        return _source.Error(Current.Offset, $"expected {expected} but found {found}");
    }
}
