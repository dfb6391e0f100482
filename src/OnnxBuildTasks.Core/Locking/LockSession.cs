using System.Runtime.CompilerServices;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Locking;

/// <summary>
/// The lock file during one engine run, shared by every item (thread-safe). Resolvers read the
/// pinned entry with <see cref="Find"/> and report what they resolved with <see cref="Record"/>;
/// a changed entry is written at once (only when the file's text changes), or, in locked mode,
/// fails with <see cref="ErrorCodes.LockedModeChange"/>.
/// </summary>
public sealed class LockSession
{
    private static readonly ConditionalWeakTable<object, LockSession> ByOwner = new();
    private readonly object _gate = new();
    private readonly LockFile _file;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <summary>Opens <paramref name="path"/> (null: no lock file is kept).</summary>
    public LockSession(string? path, bool lockedMode, bool update = false)
    {
        if (lockedMode && update) throw new ArgumentException("--locked and --update exclude each other.");
        Path = path;
        LockedMode = lockedMode;
        Update = update;
        _file = path is null ? new LockFile() : LockFile.Read(path);
    }

    /// <summary>The session belonging to <paramref name="owner"/> (e.g. a pipeline context), created on first use.</summary>
    public static LockSession For(object owner, string? path, bool lockedMode) =>
        ByOwner.GetValue(owner, _ => new LockSession(path, lockedMode));

    /// <summary>The lock file path, or null.</summary>
    public string? Path { get; }

    /// <summary>Fail instead of changing the file.</summary>
    public bool LockedMode { get; }

    /// <summary>Ignore pinned entries: resolve every source again.</summary>
    public bool Update { get; }

    /// <summary>How many times the file was written in this session.</summary>
    public int Writes { get; private set; }

    /// <summary>The pinned entry for <paramref name="key"/>, or null (none, or updating).</summary>
    public LockEntry? Find(string key)
    {
        lock (_gate) return Update ? null : _file.Models.GetValueOrDefault(key);
    }

    /// <summary>Records what <paramref name="key"/> resolved to; writes the file if that changed it.</summary>
    public void Record(string key, LockEntry entry, string itemName)
    {
        lock (_gate)
        {
            _seen.Add(key);
            var old = _file.Models.GetValueOrDefault(key);
            if (entry.SameAs(old)) return;
            if (LockedMode)
                throw new OnnxBuildException(ErrorCodes.LockedModeChange,
                    $"{itemName}: locked mode (OnnxLockedMode / --locked) and the lock file {Path ?? "(none)"} " +
                    (old is null ? "has no entry for it" : $"pins {Describe(old)} but it now resolves to {Describe(entry)}") +
                    ". Run `dotnet onnx lock --update` and commit the lock file.");
            _file.Models[key] = entry;
            Flush();
        }
    }

    /// <summary>Removes entries no item recorded in this session (after a whole-project run); writes if that changed the file.</summary>
    public IReadOnlyList<string> PruneUnseen()
    {
        lock (_gate)
        {
            var stale = _file.Models.Keys.Where(k => !_seen.Contains(k)).ToList();
            if (stale.Count > 0 && LockedMode)
                throw new OnnxBuildException(ErrorCodes.LockedModeChange,
                    $"Locked mode and the lock file {Path} has entries no item uses ({string.Join(", ", stale)}). Run `dotnet onnx lock --update` and commit the lock file.");
            foreach (var k in stale) _file.Models.Remove(k);
            if (stale.Count > 0) Flush();
            return stale;
        }
    }

    private void Flush()
    {
        if (Path is not null && _file.WriteIfChanged(Path)) Writes++;
    }

    private static string Describe(LockEntry e) =>
        $"{e.Id}@{e.Commit ?? e.Version} ({e.Files.Count} files)";
}
