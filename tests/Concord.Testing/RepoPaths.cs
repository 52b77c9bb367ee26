namespace Concord.Testing;

/// <summary>Where the repository and the shared vendor specifications are, found from the test binaries.</summary>
public static class RepoPaths
{
    /// <summary>The repository root (the folder holding <c>concord.slnx</c>).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The vendors' own specifications, kept beside the repository (<c>../shared/vendor-specs</c>).</summary>
    public static string VendorSpecs =>
        Environment.GetEnvironmentVariable("CONCORD_VENDOR_SPECS") is { Length: > 0 } fromEnv
            ? fromEnv
            : Path.GetFullPath(Path.Combine(Root, "..", "shared", "vendor-specs"));

    /// <summary>A vendor specification file; fails (never skips) when it is missing.</summary>
    public static string VendorSpec(string relative)
    {
        var path = Path.Combine(VendorSpecs, relative);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"vendor specification {relative} not found under {VendorSpecs} (set CONCORD_VENDOR_SPECS to the vendor-specs folder)", path);
    }

    /// <summary>Public entity-resolution data with ground truth, kept beside the repository (<c>../shared/datasets</c>).</summary>
    public static string Datasets =>
        Environment.GetEnvironmentVariable("CONCORD_DATASETS") is { Length: > 0 } fromEnv
            ? fromEnv
            : Path.GetFullPath(Path.Combine(Root, "..", "shared", "datasets"));

    /// <summary>A dataset file; fails (never skips) when it is missing.</summary>
    public static string Dataset(string relative)
    {
        var path = Path.Combine(Datasets, relative);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"dataset {relative} not found under {Datasets} (set CONCORD_DATASETS to the datasets folder)", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "concord.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (concord.slnx) above " + AppContext.BaseDirectory);
    }
}
