using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Checkpoints;

/// <summary>
/// Turns <see cref="TensorRef"/>s into <see cref="CheckpointTensor"/>s over a torch.save archive's
/// <c>data/&lt;key&gt;</c> entries: contiguous views of stored entries stay zero-copy; strided views
/// (and deflated entries) are copied out, after checking that every element lies inside the storage.
/// </summary>
internal sealed class StorageBytes(MappedFile file, Dictionary<string, ZipEntry> entries, string prefix)
{
    /// <summary>Largest materialised (copied) tensor.</summary>
    public const long MaxMaterialised = int.MaxValue;

    /// <summary>Most a copied view may exceed its storage by (views that repeat elements).</summary>
    public const long MaxAmplification = 16;

    private readonly Dictionary<string, byte[]> _inflated = new(StringComparer.Ordinal);

    public CheckpointTensor Tensor(string name, TensorRef t)
    {
        var storage = t.Storage;
        int elementSize = storage.DType.SizeInBytes();
        if (!entries.TryGetValue(prefix + "data/" + storage.Key, out var entry))
            throw Error(name, $"its storage '{storage.Key}' has no entry '{prefix}data/{storage.Key}' in the archive");
        long storageBytes;
        long count;
        long lastElement;
        try
        {
            storageBytes = checked(storage.ElementCount * elementSize);
            count = CheckpointTensor.ElementCountOf(t.Size);
            lastElement = t.StorageOffset;
            for (int i = 0; i < t.Size.Length; i++)
            {
                if (t.Stride[i] < 0) throw Error(name, "it has a negative stride (a flipped view); save a contiguous copy");
                if (t.Size[i] > 0) lastElement = checked(lastElement + (t.Size[i] - 1) * t.Stride[i]);
            }
        }
        catch (OverflowException)
        {
            throw Error(name, "its size, strides or storage overflow 64 bits");
        }
        if (entry.Size < storageBytes)
            throw Error(name, $"its storage '{storage.Key}' should hold {storageBytes} bytes but the entry has {entry.Size}");
        if (count > 0 && lastElement >= storage.ElementCount)
            throw Error(name, $"its view (offset {t.StorageOffset}, size [{string.Join(", ", t.Size)}], stride [{string.Join(", ", t.Stride)}]) reaches past its {storage.ElementCount}-element storage");
        if (count == 0) return CheckpointTensor.Owned(name, storage.DType, t.Size, []);

        bool contiguous = IsContiguous(t.Size, t.Stride);
        if (contiguous && entry.Stored)
            return CheckpointTensor.Mapped(name, storage.DType, t.Size, file, entry.DataOffset + t.StorageOffset * elementSize);
        // A strided view may repeat elements (stride 0, as expand() makes); a copy may not blow a small storage up without bound.
        if (count * elementSize > MaxAmplification * Math.Max(storageBytes, 1 << 20))
            throw Error(name, $"its view repeats a {storageBytes}-byte storage into {count * elementSize} bytes; save a contiguous copy");
        if (count * elementSize > MaxMaterialised)
            throw new OnnxBuildException(ErrorCodes.TensorTooLarge,
                $"'{file.Path}': tensor '{name}' is a {count * elementSize}-byte non-contiguous or compressed view, too large to copy; save the checkpoint as safetensors.");
        ReadOnlySpan<byte> source = entry.Stored ? file.Span(entry.DataOffset, checked((int)Math.Min(entry.Size, int.MaxValue))) : Inflated(entry);
        if (!entry.Stored && entry.Size > int.MaxValue) throw Error(name, "its compressed storage is over 2 GB");
        var bytes = new byte[count * elementSize];
        if (contiguous) source.Slice((int)(t.StorageOffset * elementSize), bytes.Length).CopyTo(bytes);
        else Gather(source, bytes, t, elementSize);
        return CheckpointTensor.Owned(name, storage.DType, t.Size, bytes);
    }

    private byte[] Inflated(ZipEntry entry)
    {
        if (!_inflated.TryGetValue(entry.Name, out var bytes))
            _inflated[entry.Name] = bytes = ZipDirectory.ReadAll(file, entry, MaxMaterialised);
        return bytes;
    }

    private static bool IsContiguous(long[] size, long[] stride)
    {
        long expected = 1;
        for (int i = size.Length - 1; i >= 0; i--)
        {
            if (size[i] != 1 && stride[i] != expected) return false;
            expected *= size[i];
        }
        return true;
    }

    private static void Gather(ReadOnlySpan<byte> source, Span<byte> destination, TensorRef t, int elementSize)
    {
        // Walk the view in row-major order with an index counter (no recursion).
        int rank = t.Size.Length;
        var index = new long[rank];
        long count = destination.Length / elementSize;
        for (long n = 0; n < count; n++)
        {
            long element = t.StorageOffset;
            for (int d = 0; d < rank; d++) element += index[d] * t.Stride[d];
            source.Slice((int)(element * elementSize), elementSize).CopyTo(destination.Slice((int)(n * elementSize), elementSize));
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < t.Size[d]) break;
                index[d] = 0;
            }
        }
    }

    private OnnxBuildException Error(string name, string what) =>
        new(ErrorCodes.TorchStorageInvalid, $"'{file.Path}': tensor '{name}' cannot be read: {what}.");
}
