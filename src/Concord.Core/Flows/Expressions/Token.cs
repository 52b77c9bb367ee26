namespace Concord.Core.Flows.Expressions;

/// <summary>What kind of piece of an expression a token is.</summary>
internal enum TokenKind
{
    Number,
    Text,
    Name,
    Symbol,
    End,
}

/// <summary>One piece of an expression, with its offset in the whole template text (for error positions).</summary>
internal readonly record struct Token(TokenKind Kind, string Value, int Offset)
{
    public bool Is(string symbol) => Kind == TokenKind.Symbol && Value == symbol;

    public bool IsWord(string word) => Kind == TokenKind.Name && Value == word;
}
