using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Export;

/// <summary>Returns the source bytes of a weight (usually a view of a memory-mapped checkpoint file).</summary>
public delegate ReadOnlySpan<byte> WeightBytes();

/// <summary>Element type of a floating-point weight as stored in a checkpoint.</summary>
public enum SourceElement
{
    Float32,
    Float16,
    BFloat16,
    Float64,
}

/// <summary>
/// A floating-point weight streamed from its source bytes into the ONNX file, converted to the target element
/// type and, for Linear layers, transposed from [out, in] to [in, out] on the way, tile by tile, so only a small
/// buffer is ever allocated whatever the weight's size.
/// </summary>
public sealed class StreamedWeight : ITensorPayload
{
    private const int ChunkElements = 1 << 20; // 4 MB of float32 per tile: large writes are cheaper for the page cache
    private readonly WeightBytes _source;
    private readonly SourceElement _sourceType;
    private readonly DataType _target;
    private readonly long _rows;
    private readonly long _cols;
    private readonly bool _transpose;
    private readonly Action? _afterWrite;

    /// <param name="source">The source bytes, little-endian, row-major.</param>
    /// <param name="sourceType">How the source elements are stored.</param>
    /// <param name="shape">The source shape.</param>
    /// <param name="target">Float or Float16.</param>
    /// <param name="transpose">Write a 2-D source transposed.</param>
    /// <param name="afterWrite">
    /// Called once the bytes are written, e.g. to drop the source's memory-mapped pages so resident memory
    /// stays far below the checkpoint's size however large the model (the source stays readable).
    /// </param>
    public StreamedWeight(WeightBytes source, SourceElement sourceType, long[] shape, DataType target, bool transpose, Action? afterWrite = null)
    {
        if (target is not (DataType.Float or DataType.Float16))
            throw new ArgumentOutOfRangeException(nameof(target), target, "Weights are written as float32 or float16.");
        if (transpose && shape.Length != 2)
            throw new ArgumentException("Only 2-D weights can be transposed.", nameof(shape));
        _source = source;
        _sourceType = sourceType;
        _target = target;
        _transpose = transpose;
        _afterWrite = afterWrite;
        long count = 1;
        foreach (long d in shape) count *= d;
        _rows = transpose ? shape[0] : 1;
        _cols = transpose ? shape[1] : count;
        Length = count * (target == DataType.Float ? 4 : 2);
        Shape = transpose ? [shape[1], shape[0]] : shape;
    }

    /// <summary>The shape as written (transposed when asked).</summary>
    public long[] Shape { get; }

    /// <inheritdoc />
    public long Length { get; }

    /// <inheritdoc />
    public void WriteTo(Stream destination)
    {
        try
        {
            Write(destination);
        }
        finally
        {
            _afterWrite?.Invoke();
        }
    }

    private void Write(Stream destination)
    {
        bool passThrough = !_transpose && (_sourceType, _target) is (SourceElement.Float32, DataType.Float) or (SourceElement.Float16, DataType.Float16);
        if (passThrough)
        {
            WriteSpan(destination, _source());
            return;
        }
        int targetSize = _target == DataType.Float ? 4 : 2;
        // The float buffer is a pooled byte array viewed as floats: the runtime ships ArrayPool<byte> precompiled,
        // while ArrayPool<float> would be compiled at first use in every export process.
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkElements * 4);
        var bytes = targetSize == 4 ? [] : ArrayPool<byte>.Shared.Rent(ChunkElements * targetSize);
        try
        {
            if (_transpose) WriteTransposed(destination, buffer, bytes, targetSize);
            else WriteConverted(destination, buffer, bytes, targetSize);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (bytes.Length > 0) ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static Span<float> Floats(byte[] buffer) => MemoryMarshal.Cast<byte, float>(buffer.AsSpan(0, ChunkElements * 4));

    private void WriteConverted(Stream destination, byte[] buffer, byte[] bytes, int targetSize)
    {
        var values = Floats(buffer);
        long total = _cols;
        for (long start = 0; start < total; start += ChunkElements)
        {
            int n = (int)Math.Min(ChunkElements, total - start);
            var src = _source();
            for (int i = 0; i < n; i++)
                values[i] = Read(src, start + i);
            WriteValues(destination, buffer, n, bytes, targetSize);
        }
    }

    // Output row j (0 <= j < cols) is source column j. Tiles of output rows keep the buffer small.
    private void WriteTransposed(Stream destination, byte[] buffer, byte[] bytes, int targetSize)
    {
        var values = Floats(buffer);
        long tileRows = Math.Max(1, ChunkElements / _rows);
        if (tileRows >= 8) tileRows &= ~7L; // whole 8×8 blocks for the vectorised transpose
        if (tileRows * _rows > ChunkElements)
        {
            // A single output row is longer than the buffer: write it in pieces.
            for (long j = 0; j < _cols; j++)
            {
                for (long r0 = 0; r0 < _rows; r0 += ChunkElements)
                {
                    int n = (int)Math.Min(ChunkElements, _rows - r0);
                    var src = _source();
                    for (int k = 0; k < n; k++)
                        values[k] = Read(src, (r0 + k) * _cols + j);
                    WriteValues(destination, buffer, n, bytes, targetSize);
                }
            }
            return;
        }
        for (long j0 = 0; j0 < _cols; j0 += tileRows)
        {
            int t = (int)Math.Min(tileRows, _cols - j0);
            var src = _source();
            if (_sourceType == SourceElement.Float32)
            {
                // Fast path: the little-endian bytes viewed as floats (x64/arm64 are little-endian).
                FloatTranspose.Band(MemoryMarshal.Cast<byte, float>(src), (int)_rows, (int)_cols, (int)j0, t, values);
            }
            else
            {
                for (long r = 0; r < _rows; r++)
                {
                    long rowStart = r * _cols + j0;
                    for (int k = 0; k < t; k++)
                        values[(int)(k * _rows + r)] = Read(src, rowStart + k);
                }
            }
            int n = (int)(t * _rows);
            WriteValues(destination, buffer, n, bytes, targetSize);
        }
    }

    private float Read(ReadOnlySpan<byte> src, long index) => _sourceType switch
    {
        SourceElement.Float32 => BinaryPrimitives.ReadSingleLittleEndian(src.Slice(checked((int)(index * 4)), 4)),
        SourceElement.Float16 => (float)BinaryPrimitives.ReadHalfLittleEndian(src.Slice(checked((int)(index * 2)), 2)),
        SourceElement.BFloat16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(src.Slice(checked((int)(index * 2)), 2)) << 16),
        SourceElement.Float64 => (float)BinaryPrimitives.ReadDoubleLittleEndian(src.Slice(checked((int)(index * 8)), 8)),
        _ => throw new InvalidOperationException(),
    };

    // The first n floats of the buffer: float32 values go out as they are (x64/arm64 are little-endian); float16 through the byte buffer.
    private static void WriteValues(Stream destination, byte[] buffer, int n, byte[] bytes, int targetSize)
    {
        if (targetSize == 4)
        {
            destination.Write(buffer.AsSpan(0, n * 4));
            return;
        }
        var values = MemoryMarshal.Cast<byte, float>(buffer.AsSpan(0, n * 4));
        var halves = MemoryMarshal.Cast<byte, Half>(bytes.AsSpan(0, values.Length * 2));
        for (int i = 0; i < values.Length; i++)
            halves[i] = (Half)values[i];
        destination.Write(bytes, 0, values.Length * 2);
    }

    private static void WriteSpan(Stream destination, ReadOnlySpan<byte> span)
    {
        const int Block = 1 << 22;
        while (span.Length > 0)
        {
            int n = Math.Min(Block, span.Length);
            destination.Write(span[..n]);
            span = span[n..];
        }
    }
}
