namespace OnnxBuildTasks.Hub;

/// <summary>One cached repo: its snapshots, refs and blob bytes.</summary>
/// <param name="RepoId">Repo id (from models--org--name).</param>
/// <param name="Folder">The repo's cache folder.</param>
/// <param name="Refs">Revision to commit.</param>
/// <param name="Snapshots">Commits with a snapshot folder.</param>
/// <param name="Blobs">Number of blobs.</param>
/// <param name="Bytes">Total blob bytes.</param>
public sealed record CachedRepo(string RepoId, string Folder, IReadOnlyDictionary<string, string> Refs, IReadOnlyList<string> Snapshots, int Blobs, long Bytes);

/// <summary>A blob whose content does not match its name (etag).</summary>
/// <param name="RepoId">Repo id.</param>
/// <param name="Path">The blob file.</param>
/// <param name="Reason">What is wrong.</param>
public sealed record BadBlob(string RepoId, string Path, string Reason);

/// <summary>Lists, verifies and prunes the model repos of a Hugging Face cache.</summary>
public sealed class HubCacheScanner(HubCache cache)
{
    /// <summary>Every models--* repo in the cache.</summary>
    public IReadOnlyList<CachedRepo> List()
    {
        if (!Directory.Exists(cache.Root)) return [];
        return [.. Directory.EnumerateDirectories(cache.Root, "models--*").Order(StringComparer.Ordinal).Select(Describe)];
    }

    /// <summary>Hashes every blob against its name (sha256 or git sha1); returns the ones that do not match.</summary>
    public IReadOnlyList<BadBlob> Verify(IProgress<string>? progress = null)
    {
        var bad = new List<BadBlob>();
        foreach (var repo in List())
        {
            foreach (var blob in Blobs(repo.Folder))
            {
                progress?.Report(blob);
                var name = System.IO.Path.GetFileName(blob);
                if (ExpectedHash.FromEtag(name) is not { } expected)
                    bad.Add(new BadBlob(repo.RepoId, blob, "name is not a sha256 or git sha1"));
                else if (!BlobVerifier.Matches(blob, expected))
                    bad.Add(new BadBlob(repo.RepoId, blob, $"content does not match its {expected.Kind}"));
            }
        }
        return bad;
    }

    /// <summary>
    /// Deletes blobs no snapshot points at, snapshot links whose blob is gone, and leftover
    /// <c>.incomplete</c> files no download holds; returns the paths removed and bytes freed.
    /// </summary>
    public (IReadOnlyList<string> Removed, long Bytes) Prune()
    {
        var removed = new List<string>();
        long bytes = 0;
        foreach (var repo in List())
        {
            var snapshots = System.IO.Path.Combine(repo.Folder, "snapshots");
            var used = new HashSet<string>(StringComparer.Ordinal);
            if (Directory.Exists(snapshots))
            {
                foreach (var entry in Directory.EnumerateFiles(snapshots, "*", SearchOption.AllDirectories))
                {
                    var info = new FileInfo(entry);
                    if (info.LinkTarget is null) continue;
                    var target = System.IO.Path.GetFullPath(System.IO.Path.Combine(info.DirectoryName!, info.LinkTarget));
                    if (File.Exists(target)) used.Add(target);
                    else
                    {
                        File.Delete(entry);
                        removed.Add(entry);
                    }
                }
            }
            var blobsDir = System.IO.Path.Combine(repo.Folder, "blobs");
            if (!Directory.Exists(blobsDir)) continue;
            foreach (var blob in Directory.EnumerateFiles(blobsDir))
            {
                if (used.Contains(blob)) continue;
                var etag = System.IO.Path.GetFileName(blob).Replace(".incomplete", "", StringComparison.Ordinal);
                var lockPath = cache.LockPath(repo.RepoId, etag);
                try
                {
                    // A download in progress holds the lock; leave its blob alone.
                    using var held = File.Exists(lockPath) ? new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None) : null;
                    var size = new FileInfo(blob).Length;
                    File.Delete(blob);
                    removed.Add(blob);
                    bytes += size;
                }
                catch (IOException)
                {
                }
            }
        }
        return (removed, bytes);
    }

    private static IEnumerable<string> Blobs(string repoFolder)
    {
        var dir = System.IO.Path.Combine(repoFolder, "blobs");
        return Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir).Where(b => !b.EndsWith(".incomplete", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            : [];
    }

    private static CachedRepo Describe(string folder)
    {
        var id = System.IO.Path.GetFileName(folder)["models--".Length..].Replace("--", "/");
        var refsDir = System.IO.Path.Combine(folder, "refs");
        var refs = Directory.Exists(refsDir)
            ? Directory.EnumerateFiles(refsDir, "*", SearchOption.AllDirectories)
                .ToDictionary(f => System.IO.Path.GetRelativePath(refsDir, f).Replace('\\', '/'), f => File.ReadAllText(f).Trim())
            : [];
        var snapDir = System.IO.Path.Combine(folder, "snapshots");
        var snaps = Directory.Exists(snapDir) ? Directory.EnumerateDirectories(snapDir).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal).ToList() : [];
        var blobs = Blobs(folder).ToList();
        return new CachedRepo(id, folder, refs, snaps!, blobs.Count, blobs.Sum(b => new FileInfo(b).Length));
    }
}
