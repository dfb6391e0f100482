using System.Runtime.InteropServices;

namespace OnnxBuildTasks.Onnx;

/// <summary>
/// Forces written bytes to the storage device (fsync): file contents before a rename publishes them,
/// and on Unix the directory holding a rename. Used where durability is asked for
/// (<see cref="OnnxSaveOptions.Durable"/>, cache commits); plain saves skip it, as <c>cp</c> does.
/// </summary>
internal static partial class DiskFlush
{
    /// <summary>Test hook: sees every path flushed on this thread (directories end with a separator).</summary>
    [ThreadStatic]
    internal static Action<string>? Observer;

    /// <summary>Flushes a stream being written, then reports <paramref name="path"/>.</summary>
    public static void Stream(FileStream stream, string path)
    {
        stream.Flush(flushToDisk: true);
        Observer?.Invoke(path);
    }

    /// <summary>Flushes a file already written and closed (read-only files too: on Unix fsync needs no write access).</summary>
    public static void File(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1);
            stream.Flush(flushToDisk: true);
        }
        else
        {
            using var handle = System.IO.File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (Fsync((int)handle.DangerousGetHandle()) != 0)
                throw new IOException($"Cannot flush '{path}' to disk (errno {Marshal.GetLastPInvokeError()}).");
        }
        Observer?.Invoke(path);
    }

    /// <summary>Every file under <paramref name="directory"/>, then each directory (children first).</summary>
    public static void Tree(string directory)
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            File(file);
        foreach (var sub in System.IO.Directory.EnumerateDirectories(directory, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length))
            Directory(sub);
        Directory(directory);
    }

    /// <summary>Persists the entries of a directory (names created or renamed in it). No-op on Windows, which has no such call.</summary>
    public static void Directory(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            int fd = Open(path, 0); // O_RDONLY
            if (fd < 0)
                throw new IOException($"Cannot open folder '{path}' to flush it (errno {Marshal.GetLastPInvokeError()}).");
            try
            {
                if (Fsync(fd) != 0)
                    throw new IOException($"Cannot flush folder '{path}' to disk (errno {Marshal.GetLastPInvokeError()}).");
            }
            finally
            {
                _ = Close(fd);
            }
        }
        Observer?.Invoke(Path.TrimEndingDirectorySeparator(path) + Path.DirectorySeparatorChar);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
