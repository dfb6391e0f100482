using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Onnx;

/// <summary>
/// Sizes of ONNX tensor data: bits per element of each element type and the byte size a
/// tensor's raw_data (or external data range) must have for its shape.
/// </summary>
public static class TensorDataLayout
{
    // (element type, bits per element in raw_data); STRING and UNDEFINED have no fixed size.
    private static readonly Dictionary<DataType, int> Bits = new()
    {
        [DataType.Float] = 32, [DataType.Uint8] = 8, [DataType.Int8] = 8, [DataType.Uint16] = 16,
        [DataType.Int16] = 16, [DataType.Int32] = 32, [DataType.Int64] = 64, [DataType.Bool] = 8,
        [DataType.Float16] = 16, [DataType.Double] = 64, [DataType.Uint32] = 32, [DataType.Uint64] = 64,
        [DataType.Complex64] = 64, [DataType.Complex128] = 128, [DataType.Bfloat16] = 16,
        [DataType.Float8E4M3Fn] = 8, [DataType.Float8E4M3Fnuz] = 8, [DataType.Float8E5M2] = 8,
        [DataType.Float8E5M2Fnuz] = 8, [DataType.Uint4] = 4, [DataType.Int4] = 4, [DataType.Float4E2M1] = 4,
    };

    /// <summary>Bits one element takes in raw_data, or null for STRING, UNDEFINED and unknown types.</summary>
    public static int? BitsPerElement(int dataType) =>
        Bits.TryGetValue((DataType)dataType, out var bits) ? bits : null;

    /// <summary>The number of elements of a shape (1 for a scalar), or null if a dimension is negative or it overflows.</summary>
    public static long? ElementCount(IEnumerable<long> dims)
    {
        long count = 1;
        foreach (var d in dims)
        {
            if (d < 0) return null;
            try { count = checked(count * d); }
            catch (OverflowException) { return null; }
        }
        return count;
    }

    /// <summary>
    /// The byte size the tensor's raw_data or external range must have (sub-byte types packed two per
    /// byte, rounded up), or null when the type has no fixed size or the shape is invalid.
    /// </summary>
    public static long? ByteSize(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var bits = BitsPerElement(tensor.DataType);
        var count = ElementCount(tensor.Dims);
        if (bits is null || count is null) return null;
        return (count.Value * bits.Value + 7) / 8;
    }
}
