using Concord.Engine.Storage;

namespace Concord.Engine.Verification;

/// <summary>Drift kinds as the API and the command line name them.</summary>
public static class DriftKinds
{
    public static string Name(DriftKind kind) => kind switch
    {
        DriftKind.MissingInSystem => "missing_in_system",
        DriftKind.UnknownToHub => "unknown_to_hub",
        _ => "field_differs",
    };
}
