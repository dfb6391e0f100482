namespace OnnxBuildTasks.Onnx;

/// <summary>
/// The bytes of an initializer supplied at save time instead of held in the <see cref="ModelProto"/>:
/// <see cref="OnnxModelFile.Save"/> streams them into the model or its external data file, so the
/// writer never holds a second copy of the weights.
/// </summary>
public interface ITensorPayload
{
    /// <summary>The exact number of bytes <see cref="WriteTo"/> writes (the tensor's raw little-endian data).</summary>
    long Length { get; }

    /// <summary>Writes exactly <see cref="Length"/> bytes to <paramref name="destination"/>. May be called once per save.</summary>
    void WriteTo(Stream destination);
}

/// <summary>Ready-made <see cref="ITensorPayload"/> implementations.</summary>
public static class TensorPayload
{
    /// <summary>A payload over bytes already in memory (not copied).</summary>
    public static ITensorPayload FromBytes(ReadOnlyMemory<byte> bytes) => new MemoryPayload(bytes);

    /// <summary>A payload read from a range of a file when the model is saved.</summary>
    public static ITensorPayload FromFile(string path, long offset, long length)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new FileRangePayload(path, offset, length);
    }

    private sealed class MemoryPayload(ReadOnlyMemory<byte> bytes) : ITensorPayload
    {
        public long Length => bytes.Length;

        public void WriteTo(Stream destination) => destination.Write(bytes.Span);
    }

}

/// <summary>A payload read from a range of a file when the model is saved.</summary>
internal sealed class FileRangePayload(string path, long offset, long length) : ITensorPayload
{
    /// <summary>The file read (as given).</summary>
    public string Path => path;

    /// <summary>Where the range starts in <see cref="Path"/>.</summary>
    public long Offset => offset;

    public long Length => length;

    public void WriteTo(Stream destination)
    {
        using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        StreamRanges.Copy(source, offset, length, destination, path);
    }
}

/// <summary>Copies byte ranges between streams in bounded chunks.</summary>
internal static class StreamRanges
{
    public static void Copy(Stream source, long offset, long length, Stream destination, string sourceName)
    {
        source.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[(int)Math.Min(length, 1 << 20)];
        long left = length;
        while (left > 0)
        {
            int n = source.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (n == 0)
                throw new EndOfStreamException($"'{sourceName}' ended {left} bytes before the end of the range [{offset}, {offset + length}).");
            destination.Write(buffer, 0, n);
            left -= n;
        }
    }
}
