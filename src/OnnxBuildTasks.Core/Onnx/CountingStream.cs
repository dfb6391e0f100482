namespace OnnxBuildTasks.Onnx;

/// <summary>A write-only pass-through stream that counts the bytes written to it (disposing it leaves the inner stream open).</summary>
internal sealed class CountingStream(Stream inner) : WriteOnlyStream
{
    private long _written;

    public override long Written => _written;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        _written += buffer.Length;
    }

    public override void WriteByte(byte value)
    {
        inner.WriteByte(value);
        _written++;
    }

    public override void Flush() => inner.Flush();
}
