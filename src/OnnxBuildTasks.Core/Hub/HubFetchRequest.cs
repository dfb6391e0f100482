namespace OnnxBuildTasks.Hub;

/// <summary>What to fetch from a Hub repo.</summary>
public sealed record HubFetchRequest
{
    /// <summary>Fetch <paramref name="repoId"/> at <paramref name="revision"/> (branch, tag or 40-hex commit).</summary>
    public HubFetchRequest(string repoId, string revision = "main")
    {
        RepoId = repoId;
        Revision = string.IsNullOrWhiteSpace(revision) ? "main" : revision;
    }

    /// <summary>The repo id.</summary>
    public string RepoId { get; }

    /// <summary>Branch, tag or commit.</summary>
    public string Revision { get; }

    /// <summary>Exact files to fetch (e.g. the File metadata); null: the files an export needs (<see cref="CheckpointFiles"/>).</summary>
    public IReadOnlyList<string>? Files { get; init; }

    /// <summary>A filter over the repo's files (e.g. `--include` globs); when set, every matching file is fetched.</summary>
    public Func<string, bool>? Include { get; init; }

    /// <summary>The pinned commit and file hashes from the lock file; when set, nothing is resolved again.</summary>
    public HubPin? Pin { get; init; }

    /// <summary>Receives download progress.</summary>
    public IProgress<DownloadProgress>? Progress { get; init; }
}

/// <summary>A commit and its files' sizes and sha256, as a lock file records them.</summary>
/// <param name="Commit">40-hex commit.</param>
/// <param name="Files">The files with size and sha256.</param>
public sealed record HubPin(string Commit, IReadOnlyList<PinnedFile> Files);

/// <summary>A file with its size and sha256.</summary>
/// <param name="Path">Path in the repo or package.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Sha256">Lowercase hex sha256.</param>
public sealed record PinnedFile(string Path, long Size, string Sha256);

/// <summary>Progress of one file's download.</summary>
/// <param name="File">Path in the repo.</param>
/// <param name="Bytes">Bytes on disk so far.</param>
/// <param name="Total">File size.</param>
public readonly record struct DownloadProgress(string File, long Bytes, long Total);

/// <summary>One fetched file.</summary>
/// <param name="Path">Path in the repo.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Sha256">Verified sha256.</param>
/// <param name="LocalPath">The file in the snapshot folder.</param>
public sealed record FetchedFile(string Path, long Size, string Sha256, string LocalPath);

/// <summary>What a fetch produced.</summary>
/// <param name="RepoId">The repo.</param>
/// <param name="Revision">The revision asked for.</param>
/// <param name="Commit">The commit it resolved to.</param>
/// <param name="SnapshotFolder">snapshots/{commit} in the Hub cache.</param>
/// <param name="Files">The fetched files, sorted by path.</param>
public sealed record HubFetchResult(string RepoId, string Revision, string Commit, string SnapshotFolder, IReadOnlyList<FetchedFile> Files);
