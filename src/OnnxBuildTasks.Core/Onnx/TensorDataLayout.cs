using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Onnx;

/// <summary>
/// Sizes of ONNX tensor data: bits per element of each element type and the byte size a
/// tensor's raw_data (or external data range) must have for its shape.
/// </summary>
public static class TensorDataLayout
{
    /// <summary>Bits one element takes in raw_data, or null for STRING, UNDEFINED and unknown types.</summary>
    /// <remarks>A switch rather than a dictionary keyed by the enum, whose code is compiled at first use in every process.</remarks>
    public static int? BitsPerElement(int dataType) => (DataType)dataType switch
    {
        DataType.Uint8 or DataType.Int8 or DataType.Bool or DataType.Float8E4M3Fn or DataType.Float8E4M3Fnuz
            or DataType.Float8E5M2 or DataType.Float8E5M2Fnuz => 8,
        DataType.Uint16 or DataType.Int16 or DataType.Float16 or DataType.Bfloat16 => 16,
        DataType.Float or DataType.Int32 or DataType.Uint32 => 32,
        DataType.Int64 or DataType.Double or DataType.Uint64 or DataType.Complex64 => 64,
        DataType.Complex128 => 128,
        DataType.Uint4 or DataType.Int4 or DataType.Float4E2M1 => 4,
        _ => null,
    };

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
