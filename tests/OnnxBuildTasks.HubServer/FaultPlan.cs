namespace OnnxBuildTasks.HubServer;

/// <summary>
/// Faults the local Hub injects into the next responses (thread-safe). File bodies are those of
/// <c>resolve</c> on the Hub port and of every CDN download.
/// </summary>
public sealed class FaultPlan
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _corrupt = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string File, string Header), string> _forged = new();
    private volatile bool _listWithoutHashes;
    private long _dropAfterBytes;
    private int _drops;
    private int _fail503;
    private volatile bool _ignoreRange;
    private long _throttle;

    /// <summary>Cut the connection after this many body bytes in each of the next <paramref name="count"/> file responses.</summary>
    public void DropAfter(long bytes, int count = 1)
    {
        Interlocked.Exchange(ref _dropAfterBytes, bytes);
        Interlocked.Exchange(ref _drops, count);
    }

    /// <summary>Answer the next <paramref name="count"/> requests with 503 Service Unavailable.</summary>
    public void Fail503(int count = 1) => Interlocked.Exchange(ref _fail503, count);

    /// <summary>Ignore <c>Range</c> headers: always answer 200 with the whole file.</summary>
    public bool IgnoreRange { get => _ignoreRange; set => _ignoreRange = value; }

    /// <summary>Send file bodies at no more than this many bytes per second (0: unlimited).</summary>
    public long ThrottleBytesPerSecond { get => Interlocked.Read(ref _throttle); set => Interlocked.Exchange(ref _throttle, value); }

    /// <summary>Serve the body of repo file <paramref name="path"/> with its first byte flipped (every time, headers and listing unchanged).</summary>
    public void Corrupt(string path) => _corrupt[path] = 0;

    /// <summary>
    /// Answer <c>resolve</c> of repo file <paramref name="path"/> with <paramref name="header"/> set to
    /// <paramref name="value"/> (e.g. another X-Linked-Etag, ETag or X-Repo-Commit) instead of the true one.
    /// </summary>
    public void ForgeHeader(string path, string header, string value) => _forged[(path, header)] = value;

    /// <summary>List files by name only in the revision API, as without <c>?blobs=true</c> (no hashes, no sizes).</summary>
    public bool ListWithoutHashes { get => _listWithoutHashes; set => _listWithoutHashes = value; }

    /// <summary>Clears every fault.</summary>
    public void Clear()
    {
        DropAfter(0, 0);
        Fail503(0);
        IgnoreRange = false;
        ThrottleBytesPerSecond = 0;
        ListWithoutHashes = false;
        _corrupt.Clear();
        _forged.Clear();
    }

    internal bool Corrupts(string path) => _corrupt.ContainsKey(path);

    internal IEnumerable<(string Header, string Value)> ForgedHeaders(string path) =>
        _forged.Where(kv => kv.Key.File == path).Select(kv => (kv.Key.Header, kv.Value));

    internal bool Take503() => TakeOne(ref _fail503);

    internal long? TakeDrop() => TakeOne(ref _drops) ? Interlocked.Read(ref _dropAfterBytes) : null;

    private static bool TakeOne(ref int counter)
    {
        while (true)
        {
            var n = Volatile.Read(ref counter);
            if (n <= 0) return false;
            if (Interlocked.CompareExchange(ref counter, n - 1, n) == n) return true;
        }
    }
}
