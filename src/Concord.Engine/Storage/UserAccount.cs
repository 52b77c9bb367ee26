namespace Concord.Engine.Storage;

/// <summary>What a dashboard user may do; each role includes the ones before it.</summary>
public enum UserRole
{
    /// <summary>Reads everything, with personal data masked.</summary>
    Viewer = 1,

    /// <summary>Also replays deliveries, merges and unmerges records, acknowledges incidents.</summary>
    Operator = 2,

    /// <summary>Everything, including managing users.</summary>
    Admin = 3,
}

/// <summary>A local dashboard user. <paramref name="PasswordHash"/> is a salted, slow hash in a self-describing format; never the password.</summary>
public sealed record UserAccount(string Id, string Name, UserRole Role, string PasswordHash, DateTimeOffset CreatedAt);

/// <summary>The dashboard's local users. Names are unique, compared case-insensitively.</summary>
public interface IUserStore
{
    /// <summary>Adds a user; false, and nothing stored, when the name is taken.</summary>
    Task<bool> CreateUserAsync(UserAccount user, CancellationToken cancellationToken);

    /// <summary>The user of that name, in any case.</summary>
    Task<UserAccount?> FindUserAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every user, by name.</summary>
    Task<IReadOnlyList<UserAccount>> ListUsersAsync(CancellationToken cancellationToken);

    /// <summary>Replaces a user's password hash (a new password, or a rehash with stronger settings); false when there is no such user.</summary>
    Task<bool> SetUserPasswordAsync(string name, string passwordHash, CancellationToken cancellationToken);
}
