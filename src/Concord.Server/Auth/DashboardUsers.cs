using System.Security.Cryptography;
using Concord.Engine;
using Concord.Engine.Storage;
using Microsoft.AspNetCore.Identity;

namespace Concord.Server.Auth;

/// <summary>
/// The dashboard's local users. Passwords are hashed with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>
/// (PBKDF2 with HMAC-SHA512, 100,000 iterations, a random salt per password, in a versioned format), which ships in the
/// shared framework; a hash made with weaker settings is replaced at the next successful sign-in.
/// </summary>
public sealed class DashboardUsers(IUserStore store, TimeProvider time)
{
    /// <summary>Shorter passwords are refused: the dashboard can replay and merge.</summary>
    public const int MinPasswordLength = 12;

    private readonly PasswordHasher<UserAccount> _hasher = new();

    /// <summary>A random password of 20 URL-safe characters (120 bits), for users created without one.</summary>
    public static string GeneratePassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', '-').Replace('/', '_');

    /// <summary>Adds a user; null with the reason when the name or password is not acceptable or the name is taken.</summary>
    public async Task<(UserAccount? User, string? Problem)> CreateAsync(string name, UserRole role, string password, CancellationToken cancellationToken)
    {
        name = name.Trim();
        if (name.Length is 0 or > 64 || name.Any(char.IsControl))
        {
            return (null, "a user name is 1 to 64 characters, without control characters");
        }

        if (password.Length < MinPasswordLength)
        {
            return (null, $"the password must be at least {MinPasswordLength} characters");
        }

        var user = new UserAccount(Ids.New("usr", time), name, role, "", time.GetUtcNow());
        user = user with { PasswordHash = _hasher.HashPassword(user, password) };
        return await store.CreateUserAsync(user, cancellationToken) ? (user, null) : (null, $"a user named '{name}' exists already");
    }

    /// <summary>The user when the name and password match; null otherwise, taking as long for an unknown name as for a wrong password.</summary>
    public async Task<UserAccount?> VerifyAsync(string name, string password, CancellationToken cancellationToken)
    {
        var user = await store.FindUserAsync(name.Trim(), cancellationToken);
        if (user is null)
        {
            // Hash anyway, so the answer's timing does not tell which names exist.
            _hasher.VerifyHashedPassword(Unknown, UnknownHash, password);
            return null;
        }

        switch (_hasher.VerifyHashedPassword(user, user.PasswordHash, password))
        {
            case PasswordVerificationResult.Success:
                return user;
            case PasswordVerificationResult.SuccessRehashNeeded:
                await store.SetUserPasswordAsync(user.Name, _hasher.HashPassword(user, password), cancellationToken);
                return user;
            default:
                return null;
        }
    }

    private static readonly UserAccount Unknown = new("usr_unknown", "", UserRole.Viewer, "", DateTimeOffset.UnixEpoch);

    private static readonly string UnknownHash = new PasswordHasher<UserAccount>().HashPassword(Unknown, GeneratePassword());
}
