using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Caching;

/// <summary>
/// The content-addressed store of produced models: <c>&lt;root&gt;/models/v1/&lt;key&gt;/</c>. New
/// entries are built in <c>&lt;root&gt;/tmp/</c> and renamed into place, so an entry is complete or
/// absent; <c>&lt;root&gt;/locks/&lt;key&gt;.lock</c> serialises builds of one key across processes.
/// </summary>
public sealed class ModelCache
{
    /// <summary>Creates a cache over <paramref name="root"/> (created on first write).</summary>
    public ModelCache(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>The cache's root folder.</summary>
    public string Root { get; }

    /// <summary>How long <see cref="Lock"/> waits for another process.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(60);

    private string EntriesRoot => Path.Combine(Root, "models", "v1");

    /// <summary>The folder an entry with this key lives in (whether or not it exists).</summary>
    public string EntryDirectory(string key) => Path.Combine(EntriesRoot, key);

    /// <summary>Takes the cross-process lock of one key; hold it while checking and building the entry.</summary>
    public CacheLock Lock(string key, CancellationToken cancellationToken = default) =>
        CacheLock.Acquire(Path.Combine(Root, "locks", key + ".lock"), LockTimeout, cancellationToken);

    /// <summary>The committed entry for <paramref name="key"/>, or null. Throws when it exists but is damaged.</summary>
    public CacheEntry? TryGet(string key)
    {
        var directory = EntryDirectory(key);
        return Directory.Exists(directory) ? CacheEntry.Open(key, directory) : null;
    }

    /// <summary>A new empty folder on the cache's volume to build an entry in (then <see cref="Commit"/> or delete it).</summary>
    public string CreateStaging(string key)
    {
        var staging = Path.Combine(Root, "tmp", key[..Math.Min(16, key.Length)] + "-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Directory.CreateDirectory(staging);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OnnxBuildException(ErrorCodes.CacheUnavailable,
                $"Cannot write to the model cache '{Root}' ({e.Message}). Set OnnxCacheDir (or $ONNXBUILD_CACHE) to a writable folder.", e);
        }
        return staging;
    }

    /// <summary>
    /// Writes the manifest into <paramref name="staging"/>, flushes every file and folder of it to the disk
    /// (fsync: however its files were written, an entry that survives a power loss is never truncated), and
    /// renames it to the entry folder (atomic on one volume), then flushes that rename. Call while holding
    /// <see cref="Lock"/>.
    /// </summary>
    public CacheEntry Commit(string key, string staging, IReadOnlyList<string> files, string sourceDescription, IReadOnlyList<KeyValuePair<string, string>> keyInputs, double? defaultAtol = null)
    {
        CacheEntry.WriteManifest(staging, files, sourceDescription, keyInputs, defaultAtol);
        DiskFlush.Tree(staging);
        var directory = EntryDirectory(key);
        Directory.CreateDirectory(EntriesRoot);
        Directory.Move(staging, directory);
        DiskFlush.Directory(EntriesRoot);
        return CacheEntry.Open(key, directory);
    }
}
