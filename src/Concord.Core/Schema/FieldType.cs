namespace Concord.Core.Schema;

/// <summary>The value type of a field. Values travel as JSON; the type decides what is accepted.</summary>
public enum FieldType
{
    String,
    Text,
    Email,
    Phone,
    Url,
    Domain,
    Integer,
    Number,
    Money,
    Boolean,
    Date,
    DateTime,
    Currency,
    Reference,
}
