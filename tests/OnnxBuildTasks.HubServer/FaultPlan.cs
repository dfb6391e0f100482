namespace OnnxBuildTasks.HubServer;

/// <summary>
/// Faults the local Hub injects into the next responses (thread-safe). File bodies are those of
/// <c>resolve</c> on the Hub port and of every CDN download.
/// </summary>
public sealed class FaultPlan
{
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

    /// <summary>Clears every fault.</summary>
    public void Clear()
    {
        DropAfter(0, 0);
        Fail503(0);
        IgnoreRange = false;
        ThrottleBytesPerSecond = 0;
    }

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
