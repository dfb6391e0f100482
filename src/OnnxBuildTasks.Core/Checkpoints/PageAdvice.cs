using System.Runtime.InteropServices;

namespace OnnxBuildTasks.Checkpoints;

/// <summary>
/// Hints to the OS about mapped weight pages (Linux madvise; a no-op elsewhere or when the kernel declines).
/// Only hints: correctness never depends on them.
/// </summary>
internal static unsafe partial class PageAdvice
{
    private const int MadvDontNeed = 4;
    private const int MadvPopulateRead = 22; // Linux 5.14+
    private static readonly long PageSize = Environment.SystemPageSize;
    private static bool _populateUnsupported;

    /// <summary>Maps the pages of a range in one call instead of one fault per page group (reads them from the page cache).</summary>
    public static void Populate(byte* start, long length, byte* mappingStart, long mappingLength)
    {
        if (_populateUnsupported || !OperatingSystem.IsLinux() || length < 1 << 20) return;
        if (Advise(start, length, mappingStart, mappingLength, MadvPopulateRead) != 0) _populateUnsupported = true;
    }

    /// <summary>Drops a range's pages from this process's page tables; they stay in the page cache and refault on access.</summary>
    public static void Release(byte* start, long length, byte* mappingStart, long mappingLength)
    {
        if (!OperatingSystem.IsLinux() || length == 0) return;
        Advise(start, length, mappingStart, mappingLength, MadvDontNeed);
    }

    private static int Advise(byte* start, long length, byte* mappingStart, long mappingLength, int advice)
    {
        long from = (start - mappingStart) / PageSize * PageSize;
        long to = Math.Min(mappingLength, (start - mappingStart + length + PageSize - 1) / PageSize * PageSize);
        if (to <= from) return 0;
        try
        {
            return madvise((nint)(mappingStart + from), (nuint)(to - from), advice);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _populateUnsupported = true;
            return -1;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int madvise(nint address, nuint length, int advice);
}
