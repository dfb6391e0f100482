using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Validation;

/// <summary>
/// A dense tensor held in managed memory: the unit of inputs.json / outputs.json and of the
/// sample inputs validation feeds to ONNX Runtime. <see cref="Data"/> is a flat row-major array
/// whose element type matches <see cref="ElementType"/> (float[], double[], long[], int[], bool[], …).
/// </summary>
public sealed class HostTensor
{
    public HostTensor(TensorProto.Types.DataType elementType, long[] shape, Array data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        long count = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException("Negative dimension in shape.", nameof(shape));
            count *= d;
        }
        if (count != data.LongLength)
            throw new ArgumentException($"Shape [{string.Join(",", shape)}] holds {count} values but {data.LongLength} were given.", nameof(data));
        if (TensorElementTypes.ClrType(elementType) != data.GetType().GetElementType())
            throw new ArgumentException($"Element type {elementType} does not match a {data.GetType().Name}.", nameof(data));
        ElementType = elementType;
        Shape = shape;
        Data = data;
    }

    public TensorProto.Types.DataType ElementType { get; }

    public long[] Shape { get; }

    public Array Data { get; }

    public static HostTensor Float(long[] shape, float[] data) => new(TensorProto.Types.DataType.Float, shape, data);

    public static HostTensor Int64(long[] shape, long[] data) => new(TensorProto.Types.DataType.Int64, shape, data);

    /// <summary>The values widened to double, for comparisons across element types.</summary>
    public double[] ToDoubles() => Data switch
    {
        float[] f => Array.ConvertAll(f, v => (double)v),
        double[] d => (double[])d.Clone(),
        long[] l => Array.ConvertAll(l, v => (double)v),
        int[] i => Array.ConvertAll(i, v => (double)v),
        short[] s => Array.ConvertAll(s, v => (double)v),
        sbyte[] sb => Array.ConvertAll(sb, v => (double)v),
        byte[] b => Array.ConvertAll(b, v => (double)v),
        bool[] bo => Array.ConvertAll(bo, v => v ? 1.0 : 0.0),
        Half[] h => Array.ConvertAll(h, v => (double)v),
        _ => throw new NotSupportedException($"Element type {ElementType} has no numeric view."),
    };

    /// <summary>
    /// Wraps the data as an ORT value without copying. The returned value pins <see cref="Data"/>
    /// and must be disposed before the array is reused.
    /// </summary>
    public OrtValue ToOrtValue() => Data switch
    {
        float[] f => OrtValue.CreateTensorValueFromMemory(f, Shape),
        double[] d => OrtValue.CreateTensorValueFromMemory(d, Shape),
        long[] l => OrtValue.CreateTensorValueFromMemory(l, Shape),
        int[] i => OrtValue.CreateTensorValueFromMemory(i, Shape),
        short[] s => OrtValue.CreateTensorValueFromMemory(s, Shape),
        sbyte[] sb => OrtValue.CreateTensorValueFromMemory(sb, Shape),
        byte[] b => OrtValue.CreateTensorValueFromMemory(b, Shape),
        bool[] bo => OrtValue.CreateTensorValueFromMemory(bo, Shape),
        Half[] h => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(h, v => (Float16)(float)v), Shape),
        _ => throw new NotSupportedException($"Element type {ElementType} cannot be fed to ONNX Runtime here."),
    };

    /// <summary>Copies an ORT tensor output into managed memory.</summary>
    public static HostTensor FromOrtValue(OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        long[] shape = info.Shape;
        return info.ElementDataType switch
        {
            TensorElementType.Float => new(TensorProto.Types.DataType.Float, shape, value.GetTensorDataAsSpan<float>().ToArray()),
            TensorElementType.Double => new(TensorProto.Types.DataType.Double, shape, value.GetTensorDataAsSpan<double>().ToArray()),
            TensorElementType.Int64 => new(TensorProto.Types.DataType.Int64, shape, value.GetTensorDataAsSpan<long>().ToArray()),
            TensorElementType.Int32 => new(TensorProto.Types.DataType.Int32, shape, value.GetTensorDataAsSpan<int>().ToArray()),
            TensorElementType.Int16 => new(TensorProto.Types.DataType.Int16, shape, value.GetTensorDataAsSpan<short>().ToArray()),
            TensorElementType.Int8 => new(TensorProto.Types.DataType.Int8, shape, value.GetTensorDataAsSpan<sbyte>().ToArray()),
            TensorElementType.UInt8 => new(TensorProto.Types.DataType.Uint8, shape, value.GetTensorDataAsSpan<byte>().ToArray()),
            TensorElementType.Bool => new(TensorProto.Types.DataType.Bool, shape, value.GetTensorDataAsSpan<bool>().ToArray()),
            TensorElementType.Float16 => new(TensorProto.Types.DataType.Float16, shape,
                Array.ConvertAll(value.GetTensorDataAsSpan<Float16>().ToArray(), v => (Half)(float)v)),
            var t => throw new NotSupportedException($"ONNX Runtime output of element type {t} is not supported."),
        };
    }
}
