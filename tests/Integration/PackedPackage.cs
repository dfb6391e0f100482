using System.Reflection;

namespace OnnxBuildTasks.Integration;

/// <summary>The OnnxBuildTasks package eng/pack.sh left in artifacts/packages (version in version.txt).</summary>
internal static class PackedPackage
{
    public static string RepoRoot { get; } = typeof(PackedPackage).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

    public static string Folder => Path.Combine(RepoRoot, "artifacts", "packages");

    /// <summary>The packed version; fails (never skips) with what to run when the package is missing.</summary>
    public static string Version
    {
        get
        {
            var versionFile = Path.Combine(Folder, "version.txt");
            if (!File.Exists(versionFile))
            {
                throw new InvalidOperationException(
                    $"No packed OnnxBuildTasks package: {versionFile} is missing. Run eng/pack.sh (eng/test.sh does) before the integration tests.");
            }
            var version = File.ReadAllText(versionFile).Trim();
            var package = Path.Combine(Folder, $"OnnxBuildTasks.{version}.nupkg");
            if (!File.Exists(package))
            {
                throw new InvalidOperationException($"{package} is missing although version.txt names {version}. Run eng/pack.sh again.");
            }
            return version;
        }
    }
}
