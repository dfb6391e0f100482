using System.Buffers.Binary;
using OnnxBuildTasks.Diagnostics;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Onnx;

/// <summary>
/// The typed data fields of a <see cref="TensorProto"/> (float_data, int32_data, ...): which field holds
/// which element type, how many values it must have, and their packing into raw little-endian bytes.
/// </summary>
internal static class TensorTypedData
{
    internal enum Field { Float, Int32, Int64, Double, UInt64, String }

    // (element type, field holding it, values per element: complex types hold two; sub-byte types pack two per value)
    private static readonly Dictionary<DataType, (Field Field, double ValuesPerElement)> Table = new()
    {
        [DataType.Float] = (Field.Float, 1), [DataType.Complex64] = (Field.Float, 2),
        [DataType.Int32] = (Field.Int32, 1), [DataType.Int16] = (Field.Int32, 1), [DataType.Int8] = (Field.Int32, 1),
        [DataType.Uint16] = (Field.Int32, 1), [DataType.Uint8] = (Field.Int32, 1), [DataType.Bool] = (Field.Int32, 1),
        [DataType.Float16] = (Field.Int32, 1), [DataType.Bfloat16] = (Field.Int32, 1),
        [DataType.Float8E4M3Fn] = (Field.Int32, 1), [DataType.Float8E4M3Fnuz] = (Field.Int32, 1),
        [DataType.Float8E5M2] = (Field.Int32, 1), [DataType.Float8E5M2Fnuz] = (Field.Int32, 1),
        [DataType.Int4] = (Field.Int32, 0.5), [DataType.Uint4] = (Field.Int32, 0.5), [DataType.Float4E2M1] = (Field.Int32, 0.5),
        [DataType.Int64] = (Field.Int64, 1),
        [DataType.Double] = (Field.Double, 1), [DataType.Complex128] = (Field.Double, 2),
        [DataType.Uint32] = (Field.UInt64, 1), [DataType.Uint64] = (Field.UInt64, 1),
        [DataType.String] = (Field.String, 1),
    };

    /// <summary>Number of values held in all typed fields together.</summary>
    public static long TotalTypedValues(TensorProto t) =>
        (long)t.FloatData.Count + t.Int32Data.Count + t.Int64Data.Count + t.DoubleData.Count + t.Uint64Data.Count + t.StringData.Count;

    /// <summary>The typed field the element type belongs in and how many values it must hold, or null for an unknown type.</summary>
    public static (Field Field, long Expected)? Expectation(TensorProto t)
    {
        if (!Table.TryGetValue((DataType)t.DataType, out var entry)) return null;
        var count = TensorDataLayout.ElementCount(t.Dims);
        if (count is null) return null;
        return (entry.Field, (long)Math.Ceiling(count.Value * entry.ValuesPerElement));
    }

    /// <summary>How many values the given field holds.</summary>
    public static long Count(TensorProto t, Field field) => field switch
    {
        Field.Float => t.FloatData.Count,
        Field.Int32 => t.Int32Data.Count,
        Field.Int64 => t.Int64Data.Count,
        Field.Double => t.DoubleData.Count,
        Field.UInt64 => t.Uint64Data.Count,
        _ => t.StringData.Count,
    };

    /// <summary>Packs the typed field values into raw little-endian bytes as raw_data would hold them.</summary>
    public static byte[] ToRawBytes(TensorProto t)
    {
        var expectation = Expectation(t);
        var bits = TensorDataLayout.BitsPerElement(t.DataType);
        var size = TensorDataLayout.ByteSize(t);
        if (expectation is null || bits is null || size is null || expectation.Value.Field == Field.String)
            throw new OnnxBuildException(ErrorCodes.InitializerMalformed,
                $"Tensor '{t.Name}' of element type {(DataType)t.DataType} has no fixed-size byte representation.");
        var (field, expected) = expectation.Value;
        if (Count(t, field) != expected)
            throw new OnnxBuildException(ErrorCodes.InitializerMalformed,
                $"Tensor '{t.Name}' has {Count(t, field)} values in its typed data but its shape [{string.Join(",", t.Dims)}] needs {expected}.");
        var bytes = new byte[size.Value];
        var span = bytes.AsSpan();
        switch (field)
        {
            case Field.Float:
                for (int i = 0; i < t.FloatData.Count; i++) BinaryPrimitives.WriteSingleLittleEndian(span[(i * 4)..], t.FloatData[i]);
                break;
            case Field.Double:
                for (int i = 0; i < t.DoubleData.Count; i++) BinaryPrimitives.WriteDoubleLittleEndian(span[(i * 8)..], t.DoubleData[i]);
                break;
            case Field.Int64:
                for (int i = 0; i < t.Int64Data.Count; i++) BinaryPrimitives.WriteInt64LittleEndian(span[(i * 8)..], t.Int64Data[i]);
                break;
            case Field.UInt64:
                int width = bits.Value / 8;
                for (int i = 0; i < t.Uint64Data.Count; i++)
                {
                    if (width == 8) BinaryPrimitives.WriteUInt64LittleEndian(span[(i * 8)..], t.Uint64Data[i]);
                    else BinaryPrimitives.WriteUInt32LittleEndian(span[(i * 4)..], (uint)t.Uint64Data[i]);
                }
                break;
            case Field.Int32:
                // Sub-byte types hold one packed byte per value; others hold one element in the low bits.
                int bytesPerValue = Math.Max(1, bits.Value / 8);
                for (int i = 0; i < t.Int32Data.Count; i++)
                {
                    uint v = (uint)t.Int32Data[i];
                    for (int b = 0; b < bytesPerValue && i * bytesPerValue + b < bytes.Length; b++)
                        bytes[i * bytesPerValue + b] = (byte)(v >> (8 * b));
                }
                break;
        }
        return bytes;
    }
}
