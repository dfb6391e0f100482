using System.Diagnostics;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Caching;

/// <summary>
/// An exclusive lock on one cache key, held across processes by an open lock file
/// (<see cref="FileShare.None"/>: an OS file lock on Windows, <c>flock</c> on Unix). Dispose to release.
/// Lock files stay on disk; deleting them would let two holders in.
/// </summary>
public sealed class CacheLock : IDisposable
{
    private readonly FileStream _stream;

    private CacheLock(FileStream stream) => _stream = stream;

    /// <summary>Waits up to <paramref name="timeout"/> for the lock, polling; throws <see cref="ErrorCodes.CacheLockTimeout"/>.</summary>
    public static CacheLock Acquire(string lockPath, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return Open(lockPath);
            }
            catch (IOException) when (clock.Elapsed < timeout)
            {
                cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(50));
                cancellationToken.ThrowIfCancellationRequested();
            }
            catch (IOException e)
            {
                throw new OnnxBuildException(ErrorCodes.CacheLockTimeout,
                    $"Another build held the model cache lock '{lockPath}' for more than {timeout.TotalMinutes:0.#} minutes. If no other build is running, delete that file.", e);
            }
        }
    }

    /// <summary>The lock if no one holds it right now, else null (never waits).</summary>
    public static CacheLock? TryAcquire(string lockPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        try
        {
            return Open(lockPath);
        }
        catch (IOException)
        {
            return null;
        }
    }

    // The lock file opened exclusively; an IOException when another holder has it.
    private static CacheLock Open(string lockPath) =>
        new(new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
