namespace Concord.Core.Flows.Expressions;

/// <summary>The whole text an expression came from, turning offsets into the line and column people see.</summary>
internal sealed class SourceText(string text)
{
    public string Text { get; } = text;

    public ExpressionError ErrorAt(int offset, string message)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset && i < Text.Length; i++)
        {
            if (Text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new ExpressionError(line, offset - lineStart + 1, message);
    }

    public ExpressionException Error(int offset, string message) => new(ErrorAt(offset, message));
}
