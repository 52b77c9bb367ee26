namespace Concord.Core.Configuration;

/// <summary>
/// A secret named by reference. Secrets are never written inline in <c>concord.yaml</c>;
/// they are read from the environment when the hub starts.
/// </summary>
public sealed record SecretRef(string EnvironmentVariable, SourceSpan At)
{
    /// <summary>Reads the secret, or null when the variable is unset or empty.</summary>
    public string? Resolve(Func<string, string?>? environment = null)
    {
        var value = (environment ?? Environment.GetEnvironmentVariable)(EnvironmentVariable);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    public override string ToString() => $"env:{EnvironmentVariable}";
}
