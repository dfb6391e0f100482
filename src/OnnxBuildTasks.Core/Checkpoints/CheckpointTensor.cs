using System.Buffers.Binary;
using System.Runtime.InteropServices;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Checkpoints;

/// <summary>
/// One named tensor of a <see cref="Checkpoint"/>: dtype, shape and its raw bytes (little-endian,
/// row-major, contiguous). The bytes are a view over the memory-mapped weight file where possible,
/// so they are only valid while the owning <see cref="Checkpoint"/> is open.
/// </summary>
public sealed class CheckpointTensor
{
    private readonly MappedFile? _file;
    private readonly long _offset;
    private readonly byte[]? _owned;
    private readonly long[] _shape;
    private IReadOnlyList<long>? _shapeView;
    private bool _populated;

    private CheckpointTensor(string name, TensorDType dtype, long[] shape, long elementCount, MappedFile? file, long offset, byte[]? owned)
    {
        Name = name;
        DType = dtype;
        _shape = shape;
        ElementCount = elementCount;
        ByteLength = checked(elementCount * dtype.SizeInBytes());
        _file = file;
        _offset = offset;
        _owned = owned;
    }

    /// <summary>The tensor's name in the checkpoint (e.g. <c>bert.embeddings.word_embeddings.weight</c>).</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public TensorDType DType { get; }

    /// <summary>The dimensions, outermost first; empty for a scalar.</summary>
    public IReadOnlyList<long> Shape => _shapeView ??= Array.AsReadOnly(_shape);

    /// <summary>The number of elements (product of <see cref="Shape"/>; 1 for a scalar).</summary>
    public long ElementCount { get; }

    /// <summary>The number of bytes: <see cref="ElementCount"/> × the dtype size.</summary>
    public long ByteLength { get; }

    /// <summary>
    /// The raw bytes, zero-copy over the memory mapping. Valid while the checkpoint is open.
    /// Throws <see cref="ErrorCodes.TensorTooLarge"/> for tensors over 2 GB; use <see cref="CopyTo"/> for those.
    /// </summary>
    public ReadOnlySpan<byte> Bytes
    {
        get
        {
            if (ByteLength > int.MaxValue)
                throw new OnnxBuildException(ErrorCodes.TensorTooLarge,
                    $"Tensor '{Name}' has {ByteLength} bytes, more than a span can hold; stream it with CopyTo.");
            if (_owned is not null) return _owned;
            if (!_populated)
            {
                // First access: map all of the tensor's pages in one call rather than fault by fault.
                _file!.Populate(_offset, ByteLength);
                _populated = true;
            }
            return _file!.Span(_offset, (int)ByteLength);
        }
    }

    /// <summary>
    /// Writes the raw bytes to <paramref name="destination"/>, in chunks (works for tensors over 2 GB). Pages of the
    /// mapping are released as they are written, so streaming a whole checkpoint keeps this process's memory small.
    /// </summary>
    public void CopyTo(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (_owned is not null) destination.Write(_owned);
        else _file!.CopyTo(_offset, ByteLength, destination);
    }

    /// <summary>
    /// Tells the OS this process is done with the tensor's pages for now: they leave the process's resident memory
    /// but stay in the page cache, and <see cref="Bytes"/> stays valid (a later read faults them back in).
    /// A hint for callers that walk a large checkpoint tensor by tensor; no effect for copied tensors or off Linux.
    /// </summary>
    public void ReleasePages()
    {
        if (_file is not null && ByteLength > 0) _file.ReleasePages(_offset, ByteLength);
    }

    /// <summary>The values as float32 (F32, F64, F16 and BF16 are converted). For small tensors and tests.</summary>
    public float[] ToFloat32()
    {
        if (!DType.IsFloatingPoint())
            throw new OnnxBuildException(ErrorCodes.TensorConversionInvalid, $"Tensor '{Name}' is {DType}, not a floating-point tensor; use ToInt64.");
        var bytes = Bytes;
        if (DType == TensorDType.F32 && BitConverter.IsLittleEndian) return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        var result = new float[CheckedCount()];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = DType switch
            {
                TensorDType.F32 => BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]),
                TensorDType.F64 => (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes[(i * 8)..]),
                TensorDType.F16 => (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(i * 2)..]),
                _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]) << 16),
            };
        }
        return result;
    }

    /// <summary>The values as int64 (I64, I32, I16, I8, U8 and BOOL are widened). For integer buffers such as position_ids.</summary>
    public long[] ToInt64()
    {
        if (DType.IsFloatingPoint())
            throw new OnnxBuildException(ErrorCodes.TensorConversionInvalid, $"Tensor '{Name}' is {DType}, not an integer tensor; use ToFloat32.");
        var bytes = Bytes;
        if (DType == TensorDType.I64 && BitConverter.IsLittleEndian) return MemoryMarshal.Cast<byte, long>(bytes).ToArray();
        var result = new long[CheckedCount()];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = DType switch
            {
                TensorDType.I64 => BinaryPrimitives.ReadInt64LittleEndian(bytes[(i * 8)..]),
                TensorDType.I32 => BinaryPrimitives.ReadInt32LittleEndian(bytes[(i * 4)..]),
                TensorDType.I16 => BinaryPrimitives.ReadInt16LittleEndian(bytes[(i * 2)..]),
                TensorDType.I8 => (sbyte)bytes[i],
                _ => bytes[i],
            };
        }
        return result;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} {DType.SafetensorsName()}[{string.Join(", ", Shape)}]";

    internal static CheckpointTensor Mapped(string name, TensorDType dtype, long[] shape, MappedFile file, long offset) =>
        new(name, dtype, shape, ElementCountOf(shape), file, offset, null);

    internal static CheckpointTensor Owned(string name, TensorDType dtype, long[] shape, byte[] bytes) =>
        new(name, dtype, shape, ElementCountOf(shape), null, 0, bytes);

    /// <summary>Identifies the bytes behind the tensor: two tensors with equal keys share their data (tied or shared storage).</summary>
    internal (object Source, long Offset, long Length) DataIdentity => (_file ?? (object)_owned!, _offset, ByteLength);

    /// <summary>Where the bytes lie in a file on disk (the mapped weight file), or null for tensors held in memory.</summary>
    internal (string Path, long Offset)? FileRange => _file is null ? null : (_file.Path, _offset);

    /// <summary>The same data under another name (a tied weight).</summary>
    internal CheckpointTensor WithName(string name) =>
        new(name, DType, _shape, ElementCount, _file, _offset, _owned);

    /// <summary>A copy of the shape as an array (no generic code over long beyond the array itself: the export path calls this first).</summary>
    internal long[] CopyShape() => (long[])_shape.Clone();

    /// <summary>The product of the dimensions; throws on negative dimensions or overflow.</summary>
    internal static long ElementCountOf(IReadOnlyList<long> shape) => ElementCountOf(shape as long[] ?? [.. shape]);

    /// <inheritdoc cref="ElementCountOf(IReadOnlyList{long})"/>
    internal static long ElementCountOf(long[] shape)
    {
        long count = 1;
        foreach (long d in shape)
        {
            if (d < 0) throw new OverflowException("negative dimension");
            count = checked(count * d);
        }
        return count;
    }

    private int CheckedCount()
    {
        if (ElementCount > Array.MaxLength / 8)
            throw new OnnxBuildException(ErrorCodes.TensorTooLarge, $"Tensor '{Name}' has {ElementCount} elements, too many to convert to an array.");
        return (int)ElementCount;
    }
}
