using System.Text.Json;
using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Checkpoints;

/// <summary>One tensor to write: name, dtype, shape and a callback that writes exactly its bytes (little-endian, row-major).</summary>
/// <param name="Name">Tensor name.</param>
/// <param name="DType">Element type.</param>
/// <param name="Shape">Dimensions, outermost first.</param>
/// <param name="WriteData">Writes the tensor's bytes to the stream it is given; may write in any number of chunks.</param>
public sealed record SafetensorsTensorSpec(string Name, TensorDType DType, IReadOnlyList<long> Shape, Action<Stream> WriteData)
{
    /// <summary>A tensor whose bytes are already in memory.</summary>
    public static SafetensorsTensorSpec FromBytes(string name, TensorDType dtype, IReadOnlyList<long> shape, ReadOnlyMemory<byte> bytes) =>
        new(name, dtype, shape, s => s.Write(bytes.Span));

    /// <summary>A float32 tensor from values.</summary>
    public static SafetensorsTensorSpec FromFloats(string name, IReadOnlyList<long> shape, float[] values) =>
        FromBytes(name, TensorDType.F32, shape, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    /// <summary>Bytes the tensor must have: element count × dtype size.</summary>
    public long ByteLength => checked(CheckpointTensor.ElementCountOf(Shape) * DType.SizeInBytes());
}

/// <summary>
/// Writes .safetensors files in the safetensors library's layout: 8-byte little-endian header length,
/// compact JSON header (tensors ordered by dtype size, largest first, then name; <c>__metadata__</c> first)
/// padded with spaces to a multiple of 8, then the data in header order. Data is streamed, so files of
/// any size can be written; the file appears atomically (temp file + rename).
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, IEnumerable<SafetensorsTensorSpec> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var ordered = tensors.OrderByDescending(t => t.DType.SizeInBytes()).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
        var duplicate = ordered.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Tensor '{duplicate.Key}' is given twice.", nameof(tensors));
        byte[] header = Header(ordered, metadata);

        string temp = path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                Span<byte> length = stackalloc byte[8];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
                file.Write(length);
                file.Write(header);
                foreach (var tensor in ordered)
                {
                    using var counted = new CountingStream(file);
                    tensor.WriteData(counted);
                    if (counted.Written != tensor.ByteLength)
                        throw new InvalidOperationException($"Tensor '{tensor.Name}' wrote {counted.Written} bytes, expected {tensor.ByteLength}.");
                }
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
    }

    private static byte[] Header(List<SafetensorsTensorSpec> ordered, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata.OrderBy(m => m.Key, StringComparer.Ordinal)) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var tensor in ordered)
            {
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.DType.SafetensorsName());
                json.WriteStartArray("shape");
                foreach (long d in tensor.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset = checked(offset + tensor.ByteLength);
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        int padded = (int)((buffer.Length + 7) / 8 * 8);
        var header = new byte[padded];
        buffer.ToArray().CopyTo(header, 0);
        header.AsSpan((int)buffer.Length).Fill((byte)' ');
        return header;
    }
}
