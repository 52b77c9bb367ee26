using System.Globalization;

namespace Concord.Core.Flows.Expressions;

/// <summary>
/// One problem in an expression or template: where it is (1-based line and column within the text the
/// caller gave) and what is wrong, with a hint when one helps. Flows are configured by people reading a
/// YAML file, so the position matters as much as the message.
/// </summary>
public sealed record ExpressionError(int Line, int Column, string Message)
{
    /// <summary>The message with its position, prefixed by <paramref name="where"/> (e.g. <c>flow 'x', step 'y'</c>) when given.</summary>
    public string Describe(string? where = null)
    {
        var position = Line > 1
            ? string.Create(CultureInfo.InvariantCulture, $"line {Line}, column {Column}")
            : string.Create(CultureInfo.InvariantCulture, $"column {Column}");
        return string.IsNullOrEmpty(where) ? $"{position}: {Message}" : $"{where}, {position}: {Message}";
    }
}

/// <summary>
/// An expression that cannot be parsed or evaluated. The caller knows which flow and step the text
/// belongs to and attaches it with <see cref="At"/>, so the message reads
/// <c>flow 'payment-to-books', step 'notify', column 14: unknown filter 'mony' (did you mean 'money'?)</c>.
/// </summary>
public sealed class ExpressionException : Exception
{
    public ExpressionException(ExpressionError error, string? where = null)
        : base(error.Describe(where))
    {
        Error = error;
        Where = where;
    }

    public ExpressionException()
        : this(new ExpressionError(1, 1, "invalid expression"))
    {
    }

    public ExpressionException(string message)
        : this(new ExpressionError(1, 1, message))
    {
    }

    public ExpressionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new ExpressionError(1, 1, message);
    }

    /// <summary>The problem, with its position.</summary>
    public ExpressionError Error { get; }

    /// <summary>The flow and step the text belongs to, when the caller said.</summary>
    public string? Where { get; }

    /// <summary>The same problem, described as belonging to <paramref name="where"/>.</summary>
    public ExpressionException At(string where) => new(Error, where);
}
