namespace OnnxBuildTasks.Onnx;

/// <summary>
/// Base of the forward-only sinks payloads write into: no reading, no seeking, no length; every write arrives as a span.
/// <see cref="Stream.Position"/> reports the bytes written so far.
/// </summary>
internal abstract class WriteOnlyStream : Stream
{
    /// <summary>Bytes written so far.</summary>
    public abstract long Written { get; }

    public sealed override bool CanRead => false;
    public sealed override bool CanSeek => false;
    public sealed override bool CanWrite => true;
    public sealed override long Length => throw new NotSupportedException();
    public sealed override long Position { get => Written; set => throw new NotSupportedException(); }

    public sealed override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    public abstract override void Write(ReadOnlySpan<byte> buffer);

    public sealed override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public sealed override void SetLength(long value) => throw new NotSupportedException();
}
