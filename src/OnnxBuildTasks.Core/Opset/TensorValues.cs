using System.Buffers.Binary;
using Google.Protobuf;
using OnnxBuildTasks.Onnx;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Opset;

/// <summary>Reads the small constant tensors adapters fold into attributes, and makes the ones they add.</summary>
internal static class TensorValues
{
    /// <summary>True when the tensor's bytes live in an external file (never read here).</summary>
    public static bool IsExternal(TensorProto t) => t.DataLocation == TensorProto.Types.DataLocation.External;

    /// <summary>Integer values of an int64/int32 tensor, or null for other types or external data.</summary>
    public static long[]? ReadInts(TensorProto t)
    {
        if (IsExternal(t)) return null;
        var raw = t.RawData.Span;
        switch ((DataType)t.DataType)
        {
            case DataType.Int64:
                if (!raw.IsEmpty)
                {
                    var r = new long[raw.Length / 8];
                    for (int i = 0; i < r.Length; i++) r[i] = BinaryPrimitives.ReadInt64LittleEndian(raw[(i * 8)..]);
                    return r;
                }
                return t.Int64Data.ToArray();
            case DataType.Int32:
                if (!raw.IsEmpty)
                {
                    var r = new long[raw.Length / 4];
                    for (int i = 0; i < r.Length; i++) r[i] = BinaryPrimitives.ReadInt32LittleEndian(raw[(i * 4)..]);
                    return r;
                }
                return t.Int32Data.Select(v => (long)v).ToArray();
            default:
                return null;
        }
    }

    /// <summary>Floating values of a float/double/float16 tensor, or null for other types or external data.</summary>
    public static double[]? ReadFloats(TensorProto t)
    {
        if (IsExternal(t)) return null;
        var raw = t.RawData.Span;
        switch ((DataType)t.DataType)
        {
            case DataType.Float:
                if (!raw.IsEmpty)
                {
                    var r = new double[raw.Length / 4];
                    for (int i = 0; i < r.Length; i++) r[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]);
                    return r;
                }
                return t.FloatData.Select(v => (double)v).ToArray();
            case DataType.Double:
                if (!raw.IsEmpty)
                {
                    var r = new double[raw.Length / 8];
                    for (int i = 0; i < r.Length; i++) r[i] = BinaryPrimitives.ReadDoubleLittleEndian(raw[(i * 8)..]);
                    return r;
                }
                return t.DoubleData.ToArray();
            case DataType.Float16:
                if (!raw.IsEmpty)
                {
                    var r = new double[raw.Length / 2];
                    for (int i = 0; i < r.Length; i++) r[i] = (double)BinaryPrimitives.ReadHalfLittleEndian(raw[(i * 2)..]);
                    return r;
                }
                return t.Int32Data.Select(v => (double)BitConverter.UInt16BitsToHalf((ushort)v)).ToArray();
            default:
                return ReadInts(t)?.Select(v => (double)v).ToArray();
        }
    }

    /// <summary>A bool tensor's values, or null.</summary>
    public static bool[]? ReadBools(TensorProto t)
    {
        if (IsExternal(t) || (DataType)t.DataType != DataType.Bool) return null;
        var raw = t.RawData.Span;
        return !raw.IsEmpty ? raw.ToArray().Select(b => b != 0).ToArray() : t.Int32Data.Select(v => v != 0).ToArray();
    }

    /// <summary>A 1-D int64 tensor (or a scalar when <paramref name="scalar"/>).</summary>
    public static TensorProto Int64s(string name, long[] values, bool scalar = false)
    {
        var t = new TensorProto { Name = name, DataType = (int)DataType.Int64 };
        if (!scalar) t.Dims.Add(values.Length);
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        t.RawData = ByteString.CopyFrom(bytes);
        return t;
    }

    /// <summary>A tensor of a floating element type holding <paramref name="values"/> (scalar when <paramref name="dims"/> is empty).</summary>
    public static TensorProto Floats(string name, DataType type, double[] values, long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)type };
        t.Dims.AddRange(dims);
        int size = type switch { DataType.Double => 8, DataType.Float16 or DataType.Bfloat16 => 2, _ => 4 };
        var bytes = new byte[values.Length * size];
        for (int i = 0; i < values.Length; i++)
        {
            var span = bytes.AsSpan(i * size);
            switch (type)
            {
                case DataType.Double: BinaryPrimitives.WriteDoubleLittleEndian(span, values[i]); break;
                case DataType.Float16: BinaryPrimitives.WriteHalfLittleEndian(span, (Half)values[i]); break;
                case DataType.Bfloat16:
                    BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)(BitConverter.SingleToUInt32Bits((float)values[i]) >> 16)); break;
                case DataType.Float: BinaryPrimitives.WriteSingleLittleEndian(span, (float)values[i]); break;
                default: throw new ArgumentException($"{type} is not a floating type.", nameof(type));
            }
        }
        t.RawData = ByteString.CopyFrom(bytes);
        return t;
    }

    /// <summary>A bool scalar.</summary>
    public static TensorProto Bool(string name, bool value) =>
        new() { Name = name, DataType = (int)DataType.Bool, RawData = ByteString.CopyFrom((byte)(value ? 1 : 0)) };

    /// <summary>True for the floating element types Floats can write.</summary>
    public static bool IsFloating(DataType t) => t is DataType.Float or DataType.Double or DataType.Float16 or DataType.Bfloat16;
}
