using Microsoft.Win32.SafeHandles;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Onnx;

/// <summary>
/// A write-only stream over one reserved byte range of a file: writes land at the range's offset with
/// positioned writes (no shared file position, so several slots of one file can be filled at once), small
/// writes are gathered into a buffer, and writing past the range's end is refused rather than overwriting
/// the next tensor.
/// </summary>
internal sealed class SlotStream(SafeFileHandle file, long offset, long length, string tensorName) : WriteOnlyStream
{
    private const int BufferSize = 1 << 16;
    private byte[]? _buffer;
    private int _buffered;
    private long _written;

    /// <summary>Bytes accepted so far (written or buffered).</summary>
    public override long Written => _written;

    public override void Write(ReadOnlySpan<byte> data)
    {
        if (data.Length > length - Written)
            throw new OnnxBuildException(ErrorCodes.TensorPayloadInvalid,
                $"The payload for initializer '{tensorName}' wrote more than its Length of {length} bytes.");
        if (data.Length >= BufferSize)
        {
            FlushBuffer();
            RandomAccess.Write(file, data, offset + _written);
            _written += data.Length;
            return;
        }
        _buffer ??= new byte[BufferSize];
        if (_buffered + data.Length > BufferSize) FlushBuffer();
        data.CopyTo(_buffer.AsSpan(_buffered));
        _buffered += data.Length;
        _written += data.Length;
    }

    public override void Flush() => FlushBuffer();

    private void FlushBuffer()
    {
        if (_buffered == 0) return;
        RandomAccess.Write(file, _buffer.AsSpan(0, _buffered), offset + Written - _buffered);
        _buffered = 0;
    }
}
