using System.Security.Cryptography;
using NuGet.Common;
using NuGet.Configuration;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Packaging.Signing;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;
using NuGet.Versioning;
using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Locking;

namespace OnnxBuildTasks.Sources;

/// <summary>A file (or a folder, e.g. a checkpoint) taken from a NuGet package.</summary>
/// <param name="Id">Package id.</param>
/// <param name="Version">Exact normalised version.</param>
/// <param name="PackageFolder">The package's folder in the global packages folder.</param>
/// <param name="FilePath">The file or folder inside it.</param>
/// <param name="IsFolder">True when File named a folder.</param>
/// <param name="Files">Every file taken, with paths relative to the package, sizes and sha256.</param>
public sealed record NuGetFetchResult(string Id, string Version, string PackageFolder, string FilePath, bool IsFolder, IReadOnlyList<LockedFile> Files)
{
    /// <summary>The file's sha256; for a folder, <see cref="ContentFingerprint.Combine"/> of its files relative to it.</summary>
    public string Sha256 => IsFolder ? ContentFingerprint.Combine(FolderFiles) : Files[0].Sha256;

    /// <summary>For a folder, each file's sha256 keyed by its path relative to the folder ('/' separators); else empty.</summary>
    public IReadOnlyDictionary<string, string> FolderFiles => IsFolder
        ? Files.ToDictionary(f => System.IO.Path.GetRelativePath(FilePath, System.IO.Path.Combine(PackageFolder, f.Path)).Replace('\\', '/'), f => f.Sha256, StringComparer.Ordinal)
        : new Dictionary<string, string>();

    /// <summary>Total bytes.</summary>
    public long Size => Files.Sum(f => f.Size);
}

/// <summary>
/// <c>nuget:Package.Id/1.2.3</c> with File metadata: the package is installed into the NuGet global
/// packages folder (as restore does) from the sources, credentials and settings of the project's
/// nuget.config chain (and credential-provider plugins, see <see cref="NuGetCredentialService"/>), and the file
/// inside it is checked to stay inside the package.
/// </summary>
public sealed class NuGetSource(LockSession lockSession)
{
    /// <summary>The spec prefix.</summary>
    public const string Prefix = "nuget:";

    /// <summary>Parses <c>nuget:Id/Version</c> (exact version); throws <see cref="ErrorCodes.SourceNuGetSpecInvalid"/>.</summary>
    public static (string Id, NuGetVersion Version) ParseSpec(string spec, string itemName)
    {
        var body = spec.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? spec[Prefix.Length..] : "";
        var parts = body.Split('/');
        if (parts.Length == 2 && PackageIdValidator.IsValidPackageId(parts[0]) && NuGetVersion.TryParseStrict(parts[1], out var v))
            return (parts[0], v);
        throw new OnnxBuildException(ErrorCodes.SourceNuGetSpecInvalid,
            $"{itemName}: '{spec}' is not a NuGet source; use 'nuget:Package.Id/1.2.3' with an exact version.");
    }

    /// <summary>Installs the package if needed and returns <paramref name="file"/> inside it, recorded in the lock.</summary>
    public async Task<NuGetFetchResult> FetchAsync(string spec, string? file, string projectDirectory, bool offline, string itemName, CancellationToken ct = default)
    {
        var (id, version) = ParseSpec(spec, itemName);
        if (file is null)
            throw new OnnxBuildException(ErrorCodes.SourceNuGetFileMissing,
                $"{itemName}: a NuGet source needs File metadata naming the file inside the package, e.g. File=\"models/model.onnx\".");
        var relative = HubSource.SafeRelativePath(file, itemName);
        var key = LockEntry.KeyOf(spec, relative);
        var pinned = lockSession.Find(key);
        if (lockSession.LockedMode && pinned is null)
            throw new OnnxBuildException(ErrorCodes.LockedModeChange,
                $"{itemName}: locked mode (OnnxLockedMode / --locked) and the lock file {lockSession.Path ?? "(none)"} has no entry for {spec}. Run `dotnet onnx lock --update` and commit the lock file.");

        var settings = Settings.LoadDefaultSettings(projectDirectory);
        var resolver = new VersionFolderPathResolver(SettingsUtility.GetGlobalPackagesFolder(settings));
        var identity = new PackageIdentity(id, version);
        var packageFolder = Path.GetFullPath(resolver.GetInstallPath(id, version));
        if (!File.Exists(resolver.GetHashPath(id, version)))
        {
            if (offline)
                throw new OnnxBuildException(ErrorCodes.NuGetPackageNotFound,
                    $"{itemName}: offline mode and {id} {version.ToNormalizedString()} is not in the global packages folder {resolver.RootPath}. Build once online, or turn offline mode off.");
            await InstallAsync(identity, settings, resolver, itemName, ct);
        }

        var path = Path.GetFullPath(Path.Combine(packageFolder, relative));
        if (!path.StartsWith(packageFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal) || IsLinkOutside(path, packageFolder))
            throw new OnnxBuildException(ErrorCodes.NuGetUnsafePath,
                $"{itemName}: File '{file}' leaves the package folder of {id} {version.ToNormalizedString()}; it is refused.");
        var isFolder = Directory.Exists(path);
        if (!isFolder && !File.Exists(path))
            throw new OnnxBuildException(ErrorCodes.NuGetFileNotInPackage,
                $"{itemName}: package {id} {version.ToNormalizedString()} has no file '{relative}'. Files in it: {string.Join(", ", PackageFiles(packageFolder).Take(20))}.");

        var taken = new List<LockedFile>();
        IEnumerable<string> files = isFolder ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal) : [path];
        foreach (var f in files)
        {
            if (IsLinkOutside(f, packageFolder))
                throw new OnnxBuildException(ErrorCodes.NuGetUnsafePath,
                    $"{itemName}: '{f}' in package {id} {version.ToNormalizedString()} links outside the package folder; it is refused.");
            var rel = Path.GetRelativePath(packageFolder, f).Replace('\\', '/');
            string sha;
            await using (var s = File.OpenRead(f)) sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(s, ct));
            var size = new FileInfo(f).Length;
            if (pinned?.Files.FirstOrDefault(l => l.Path == rel) is { } locked && (locked.Sha256 != sha || locked.Size != size))
                throw new OnnxBuildException(ErrorCodes.LockHashMismatch,
                    $"{itemName}: '{rel}' of {id} {version.ToNormalizedString()} has sha256 {sha} but the lock file records {locked.Sha256}. The package changed under the same version; check the feed, then run `dotnet onnx lock --update`.");
            taken.Add(new LockedFile(rel, size, sha));
        }
        lockSession.Record(key, new LockEntry
        {
            Source = "nuget", Id = id, Version = version.ToNormalizedString(), File = relative, Files = taken,
        }, itemName);
        return new NuGetFetchResult(id, version.ToNormalizedString(), packageFolder, path, isFolder, taken);
    }

    private static async Task InstallAsync(PackageIdentity identity, ISettings settings, VersionFolderPathResolver resolver, string itemName, CancellationToken ct)
    {
        var logger = NullLogger.Instance;
        NuGetCredentialService.EnsureInstalled();
        var sources = new PackageSourceProvider(settings).LoadPackageSources().Where(s => s.IsEnabled).ToList();
        using var cache = new SourceCacheContext { NoCache = true, DirectDownload = true };
        var failures = new List<string>();
        foreach (var source in sources)
        {
            try
            {
                var repository = Repository.Factory.GetCoreV3(source);
                var finder = await repository.GetResourceAsync<FindPackageByIdResource>(ct);
                if (finder is null || !await finder.DoesPackageExistAsync(identity.Id, identity.Version, cache, logger, ct)) continue;
                using var downloader = await finder.GetPackageDownloaderAsync(identity, cache, logger, ct);
                if (downloader is null) continue;
                var extraction = new PackageExtractionContext(PackageSaveMode.Defaultv3, XmlDocFileSaveMode.None,
                    ClientPolicyContext.GetClientPolicy(settings, logger), logger);
                await PackageExtractor.InstallFromSourceAsync(identity, downloader, resolver, extraction, ct);
                return;
            }
            catch (Exception e) when (e is FatalProtocolException or HttpRequestException or IOException)
            {
                failures.Add($"{source.Name} ({source.Source}): {e.Message}");
            }
        }
        var what = $"{identity.Id} {identity.Version.ToNormalizedString()}";
        if (failures.Count > 0)
            throw new OnnxBuildException(ErrorCodes.NuGetSourceFailed,
                $"{itemName}: could not get {what}: {string.Join("; ", failures)}. For a 401/403 check packageSourceCredentials in nuget.config, or the feed's credential provider plugin (NUGET_PLUGIN_PATHS or ~/.nuget/plugins, e.g. the Azure Artifacts Credential Provider).");
        throw new OnnxBuildException(ErrorCodes.NuGetPackageNotFound,
            $"{itemName}: package {what} was not found on any source of the project's nuget.config chain ({string.Join(", ", sources.Select(s => s.Name))}). Check the id and version.");
    }

    private static bool IsLinkOutside(string path, string root) =>
        new FileInfo(path).LinkTarget is not null &&
        new FileInfo(path).ResolveLinkTarget(true)?.FullName.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) != true;

    private static IEnumerable<string> PackageFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Where(f => !f.EndsWith(".nupkg", StringComparison.Ordinal) && !f.EndsWith(".sha512", StringComparison.Ordinal) && f != ".nupkg.metadata" && !f.EndsWith(".nuspec", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
}
