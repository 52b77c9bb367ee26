using System.Security.Cryptography;

namespace Concord.Server;

/// <summary>
/// The key that encrypts stored connector credentials (rotating OAuth refresh tokens). It comes from
/// <c>CONCORD_CREDENTIAL_KEY</c> (32 bytes, base64) or else from a key file beside the database,
/// created on first start and readable by its owner only. Keep the file with backups of the
/// database, but not in the same place: either alone is useless.
/// </summary>
public static class CredentialKey
{
    public const string Variable = "CONCORD_CREDENTIAL_KEY";

    public static byte[] Load(string dataPath, Func<string, string?>? environment)
    {
        if ((environment ?? Environment.GetEnvironmentVariable)(Variable) is { Length: > 0 } text)
        {
            var fromEnv = TryBase64(text);
            return fromEnv is { Length: 32 } ? fromEnv : throw new InvalidOperationException($"{Variable} must be 32 bytes in base64 (make one with: openssl rand -base64 32)");
        }

        var path = dataPath + ".key";
        if (File.Exists(path))
        {
            var fromFile = TryBase64(File.ReadAllText(path).Trim());
            return fromFile is { Length: 32 } ? fromFile : throw new InvalidOperationException($"{path} is not a credential key (32 bytes in base64)");
        }

        var key = RandomNumberGenerator.GetBytes(32);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new StreamWriter(path, System.Text.Encoding.ASCII, options))
        {
            file.Write(Convert.ToBase64String(key));
        }

        return key;
    }

    private static byte[]? TryBase64(string text)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
