using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Hub;

/// <summary>
/// The Hugging Face cache in huggingface_hub's layout, byte for byte:
/// <code>
/// {root}/models--org--name/blobs/{etag}               file content ({etag}.incomplete while downloading)
/// {root}/models--org--name/snapshots/{commit}/{path}  relative symlink to ../../blobs/{etag} (a copy where links are not allowed)
/// {root}/models--org--name/refs/{revision}            the commit a branch/tag resolved to (no newline)
/// {root}/models--org--name/.no_exist/{commit}/{path}  empty marker: the file does not exist at that commit
/// {root}/.locks/models--org--name/{etag}.lock         cross-process download lock
/// </code>
/// </summary>
public sealed class HubCache
{
    /// <summary>Uses the cache folder <paramref name="root"/> (created on first write).</summary>
    public HubCache(string root) => Root = Path.GetFullPath(root);

    /// <summary>The cache root.</summary>
    public string Root { get; }

    /// <summary>models--org--name folder of a repo.</summary>
    public string RepoFolder(string repoId) => Path.Combine(Root, RepoId.CacheFolderName(repoId));

    /// <summary>Path of a blob.</summary>
    public string BlobPath(string repoId, string etag) => Path.Combine(RepoFolder(repoId), "blobs", etag);

    /// <summary>Path of a file in a snapshot.</summary>
    public string SnapshotPath(string repoId, string commit, string file) =>
        Path.Combine([RepoFolder(repoId), "snapshots", commit, .. file.Split('/')]);

    /// <summary>Folder of a snapshot.</summary>
    public string SnapshotFolder(string repoId, string commit) => Path.Combine(RepoFolder(repoId), "snapshots", commit);

    /// <summary>Lock file guarding a blob's download.</summary>
    public string LockPath(string repoId, string etag) => Path.Combine(Root, ".locks", RepoId.CacheFolderName(repoId), etag + ".lock");

    /// <summary>The commit a revision was last resolved to, or null.</summary>
    public string? ReadRef(string repoId, string revision)
    {
        if (RepoId.IsCommit(revision)) return revision;
        var path = Path.Combine([RepoFolder(repoId), "refs", .. revision.Split('/')]);
        if (!File.Exists(path)) return null;
        var commit = File.ReadAllText(path).Trim();
        return RepoId.IsCommit(commit) ? commit : null;
    }

    /// <summary>Records that <paramref name="revision"/> resolved to <paramref name="commit"/> (nothing for a commit sha).</summary>
    public void WriteRef(string repoId, string revision, string commit)
    {
        if (revision == commit || ReadRef(repoId, revision) == commit) return;
        var path = Path.Combine([RepoFolder(repoId), "refs", .. revision.Split('/')]);
        AtomicWrite(path, commit);
    }

    /// <summary>The snapshot entry's blob name when the entry exists and points into blobs/; the snapshot path either way.</summary>
    public (string Path, string? Etag, bool Exists) ReadSnapshotEntry(string repoId, string commit, string file)
    {
        var path = SnapshotPath(repoId, commit, file);
        var info = new FileInfo(path);
        if (info.LinkTarget is { } target)
        {
            var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, target));
            return (path, Path.GetFileName(full), File.Exists(full));
        }
        return (path, null, info.Exists);
    }

    /// <summary>True when a .no_exist marker says <paramref name="file"/> is absent at <paramref name="commit"/>.</summary>
    public bool IsKnownMissing(string repoId, string commit, string file) =>
        File.Exists(Path.Combine([RepoFolder(repoId), ".no_exist", commit, .. file.Split('/')]));

    /// <summary>Writes a .no_exist marker.</summary>
    public void MarkMissing(string repoId, string commit, string file)
    {
        var path = Path.Combine([RepoFolder(repoId), ".no_exist", commit, .. file.Split('/')]);
        Guard(() =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, []);
        }, path);
    }

    /// <summary>
    /// Points snapshots/{commit}/{file} at blobs/{etag}: a relative symlink, replaced atomically; a copy
    /// (temp file + rename) where symlinks cannot be created.
    /// </summary>
    public string LinkSnapshot(string repoId, string commit, string file, string etag)
    {
        var pointer = SnapshotPath(repoId, commit, file);
        var blob = BlobPath(repoId, etag);
        Guard(() =>
        {
            var dir = Path.GetDirectoryName(pointer)!;
            Directory.CreateDirectory(dir);
            var tmp = pointer + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
            try
            {
                File.CreateSymbolicLink(tmp, Path.GetRelativePath(dir, blob));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                File.Copy(blob, tmp);
            }
            File.Move(tmp, pointer, overwrite: true);
        }, pointer);
        return pointer;
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> through a temp file and a rename.</summary>
    internal static void AtomicWrite(string path, string content) => Guard(() =>
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        File.WriteAllText(tmp, content);
        File.Move(tmp, path, overwrite: true);
    }, path);

    internal static void Guard(Action write, string path)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OnnxBuildException(ErrorCodes.HubCacheWriteFailed,
                $"Could not write {path} in the Hugging Face cache: {e.Message}. Check HF_HUB_CACHE / HF_HOME, permissions and free space.", e);
        }
    }
}
