namespace Concord.Engine;

/// <summary>Time-ordered, prefixed identifiers (UUIDv7), so ids sort by creation and say what they name.</summary>
public static class Ids
{
    public static string New(string prefix, TimeProvider? time = null)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        return $"{prefix}_{Guid.CreateVersion7(now):N}";
    }
}
