using Concord.Engine.Storage;

namespace Concord.Server.Auth;

/// <summary>The role names carried in a signed-in user's claims.</summary>
public static class Roles
{
    public const string Viewer = "viewer";

    public const string Operator = "operator";

    public const string Admin = "admin";

    public static string Name(UserRole role) => role switch
    {
        UserRole.Admin => Admin,
        UserRole.Operator => Operator,
        _ => Viewer,
    };

    /// <summary>Parses a role as typed on the command line; null when it is none of the three.</summary>
    public static UserRole? Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        Viewer => UserRole.Viewer,
        Operator => UserRole.Operator,
        Admin => UserRole.Admin,
        _ => null,
    };
}
