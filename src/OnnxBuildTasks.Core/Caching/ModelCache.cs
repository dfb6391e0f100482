using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Caching;

/// <summary>
/// The content-addressed store of produced models: <c>&lt;root&gt;/models/v1/&lt;key&gt;/</c>. New
/// entries are built in <c>&lt;root&gt;/tmp/&lt;key&gt;-&lt;random&gt;</c> and renamed into place, so an entry is
/// complete or absent; <c>&lt;root&gt;/locks/&lt;key&gt;.lock</c> serialises builds of one key across processes.
/// Staging folders a killed build left behind are deleted by the next build that can take their key's lock.
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
        CacheLock.Acquire(LockPath(key), LockTimeout, cancellationToken);

    private string LockPath(string key) => Path.Combine(Root, "locks", key + ".lock");

    private string StagingRoot => Path.Combine(Root, "tmp");

    /// <summary>The committed entry for <paramref name="key"/>, or null. Throws when it exists but is damaged.</summary>
    public CacheEntry? TryGet(string key)
    {
        var directory = EntryDirectory(key);
        return Directory.Exists(directory) ? CacheEntry.Open(key, directory) : null;
    }

    /// <summary>
    /// A new empty folder on the cache's volume to build an entry in (then <see cref="Commit"/> or delete it), named
    /// after the key. Call while holding <see cref="Lock"/> for <paramref name="key"/>: abandoned staging folders are
    /// pruned first (see <see cref="PruneAbandonedStaging"/>).
    /// </summary>
    public string CreateStaging(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        if (key.Contains('-') || key.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new ArgumentException($"Cache key '{key}' must be a plain name without '-'.", nameof(key));
        var staging = Path.Combine(StagingRoot, key + "-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            PruneAbandonedStaging(key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: pruning never stops a build.
        }
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
    /// Deletes what killed builds left in <c>tmp/</c>: folders and files named <c>&lt;key&gt;-…</c> whose key's lock no
    /// one holds (a build in progress holds it), and those of <paramref name="heldKey"/>, whose lock the caller holds.
    /// Names of another shape are left alone. Returns how many were deleted.
    /// </summary>
    public int PruneAbandonedStaging(string? heldKey = null)
    {
        if (!Directory.Exists(StagingRoot)) return 0;
        int removed = 0;
        foreach (var group in Directory.EnumerateFileSystemEntries(StagingRoot).GroupBy(StagingKey, StringComparer.Ordinal))
        {
            if (group.Key.Length == 0) continue;
            using var held = group.Key == heldKey ? null : CacheLock.TryAcquire(LockPath(group.Key));
            if (group.Key != heldKey && held is null) continue; // a build of that key is running
            foreach (var path in group)
            {
                try
                {
                    if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
                    else File.Delete(path);
                    removed++;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Still in use or not ours to delete: the next build tries again.
                }
            }
        }
        return removed;
    }

    // "<key>-<random>[.work]" → key; "" for any other name.
    private static string StagingKey(string path)
    {
        var name = Path.GetFileName(path);
        int dash = name.IndexOf('-');
        return dash > 0 && name.AsSpan(0, dash).IndexOfAnyExcept("0123456789abcdef") < 0 ? name[..dash] : "";
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
