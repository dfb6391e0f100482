using System.IO.MemoryMappedFiles;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Checkpoints;

/// <summary>
/// A read-only memory mapping of a whole file, handing out spans over it without copying.
/// Spans are valid until <see cref="Dispose"/>; every access is bounds-checked.
/// </summary>
internal sealed unsafe class MappedFile : IDisposable
{
    private readonly MemoryMappedFile? _map;
    private readonly MemoryMappedViewAccessor? _view;
    private byte* _pointer;
    private bool _disposed;

    private MappedFile(string path, long length, MemoryMappedFile? map, MemoryMappedViewAccessor? view, byte* pointer)
    {
        Path = path;
        Length = length;
        _map = map;
        _view = view;
        _pointer = pointer;
    }

    /// <summary>The mapped file's path.</summary>
    public string Path { get; }

    /// <summary>The file length in bytes.</summary>
    public long Length { get; }

    /// <summary>Maps <paramref name="path"/> read-only. Throws a coded error when it cannot be opened.</summary>
    public static MappedFile Open(string path)
    {
        MemoryMappedFile? map = null;
        MemoryMappedViewAccessor? view = null;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.None);
            long length = stream.Length;
            if (length == 0) return new MappedFile(path, 0, null, null, null);
            map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            return new MappedFile(path, length, map, view, pointer + view.PointerOffset);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            view?.Dispose();
            map?.Dispose();
            throw new OnnxBuildException(ErrorCodes.CheckpointFileUnreadable,
                $"Cannot read weight file '{path}': {e.Message} Check that the file exists and is readable.", e);
        }
    }

    /// <summary>A span over <paramref name="length"/> bytes at <paramref name="offset"/>.</summary>
    public ReadOnlySpan<byte> Span(long offset, int length)
    {
        CheckRange(offset, length);
        if (length == 0) return ReadOnlySpan<byte>.Empty;
        return new ReadOnlySpan<byte>(_pointer + offset, length);
    }

    /// <summary>Writes <paramref name="length"/> bytes at <paramref name="offset"/> to a stream in chunks, releasing each chunk's pages once written.</summary>
    public void CopyTo(long offset, long length, Stream destination)
    {
        CheckRange(offset, length);
        const int chunk = 1 << 24;
        while (length > 0)
        {
            int n = (int)Math.Min(chunk, length);
            PageAdvice.Populate(_pointer + offset, n, _pointer, Length);
            destination.Write(new ReadOnlySpan<byte>(_pointer + offset, n));
            PageAdvice.Release(_pointer + offset, n, _pointer, Length);
            offset += n;
            length -= n;
        }
    }

    /// <summary>Maps a range's pages in one call (faster than faulting them in one by one when all will be read).</summary>
    public void Populate(long offset, long length)
    {
        CheckRange(offset, length);
        PageAdvice.Populate(_pointer + offset, length, _pointer, Length);
    }

    /// <summary>Drops a range's pages from this process's memory (they stay in the page cache and refault if read again).</summary>
    public void ReleasePages(long offset, long length)
    {
        CheckRange(offset, length);
        PageAdvice.Release(_pointer + offset, length, _pointer, Length);
    }

    private void CheckRange(long offset, long length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (offset < 0 || length < 0 || offset > Length - length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"Range {offset}+{length} is outside '{Path}' ({Length} bytes).");
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }
        _map?.Dispose();
        _pointer = null;
    }
}
