using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Hub;

/// <summary>
/// An exclusive cross-process lock on a lock file (an OS file lock, the same kind Python's filelock
/// takes on huggingface_hub's <c>.locks/models--org--name/{etag}.lock</c>). Dispose to release.
/// </summary>
public sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;

    private FileLock(FileStream stream) => _stream = stream;

    /// <summary>Waits until the lock on <paramref name="path"/> is held (creating the file if needed).</summary>
    public static async Task<FileLock> AcquireAsync(string path, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var deadline = DateTime.UtcNow + timeout;
        var delay = 20;
        while (true)
        {
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(delay, cancellationToken);
                delay = Math.Min(delay * 2, 250);
            }
            catch (IOException e)
            {
                throw new OnnxBuildException(ErrorCodes.HubCacheWriteFailed,
                    $"Timed out after {timeout.TotalSeconds:0}s waiting for the download lock {path}; another process holds it. If none is running, delete the file.", e);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
