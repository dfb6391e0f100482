namespace OnnxBuildTasks.Checkpoints;

/// <summary>The element types a checkpoint tensor can have. Every value is stored little-endian.</summary>
public enum TensorDType
{
    /// <summary>64-bit IEEE float (safetensors F64, torch.float64).</summary>
    F64,
    /// <summary>32-bit IEEE float (safetensors F32, torch.float32).</summary>
    F32,
    /// <summary>16-bit IEEE half (safetensors F16, torch.float16).</summary>
    F16,
    /// <summary>bfloat16: the upper 16 bits of a float32 (safetensors BF16, torch.bfloat16).</summary>
    BF16,
    /// <summary>64-bit signed integer.</summary>
    I64,
    /// <summary>32-bit signed integer.</summary>
    I32,
    /// <summary>16-bit signed integer.</summary>
    I16,
    /// <summary>8-bit signed integer.</summary>
    I8,
    /// <summary>8-bit unsigned integer.</summary>
    U8,
    /// <summary>Boolean, one byte per element (0 or 1).</summary>
    Bool,
}

/// <summary>Facts about <see cref="TensorDType"/>: sizes and the names the file formats use.</summary>
public static class TensorDTypeExtensions
{
    // (dtype, bytes per element, safetensors name, torch legacy storage class name)
    private static readonly Row[] Table =
    [
        new(TensorDType.F64, 8, "F64", "DoubleStorage"),
        new(TensorDType.F32, 4, "F32", "FloatStorage"),
        new(TensorDType.F16, 2, "F16", "HalfStorage"),
        new(TensorDType.BF16, 2, "BF16", "BFloat16Storage"),
        new(TensorDType.I64, 8, "I64", "LongStorage"),
        new(TensorDType.I32, 4, "I32", "IntStorage"),
        new(TensorDType.I16, 2, "I16", "ShortStorage"),
        new(TensorDType.I8, 1, "I8", "CharStorage"),
        new(TensorDType.U8, 1, "U8", "ByteStorage"),
        new(TensorDType.Bool, 1, "BOOL", "BoolStorage"),
    ];

    // A class, not a tuple: tuple tables over value types need code compiled at first use (every export reads dtypes).
    private sealed record Row(TensorDType DType, int Size, string Safetensors, string TorchStorage);

    /// <summary>Bytes per element.</summary>
    public static int SizeInBytes(this TensorDType dtype) => Find(dtype).Size;

    /// <summary>The dtype's name in a safetensors header (e.g. <c>BF16</c>, <c>BOOL</c>).</summary>
    public static string SafetensorsName(this TensorDType dtype) => Find(dtype).Safetensors;

    /// <summary>Whether the dtype is a floating-point type.</summary>
    public static bool IsFloatingPoint(this TensorDType dtype) =>
        dtype is TensorDType.F64 or TensorDType.F32 or TensorDType.F16 or TensorDType.BF16;

    /// <summary>The dtype for a safetensors dtype name; false for names this engine does not read.</summary>
    public static bool TryParseSafetensors(string name, out TensorDType dtype)
    {
        foreach (var row in Table)
        {
            if (row.Safetensors == name) { dtype = row.DType; return true; }
        }
        dtype = default;
        return false;
    }

    /// <summary>The torch legacy storage class for the dtype (<c>FloatStorage</c> ...).</summary>
    internal static string TorchStorageName(this TensorDType dtype) => Find(dtype).TorchStorage;

    /// <summary>The supported dtype names, for error messages.</summary>
    internal static string SupportedSafetensorsNames => string.Join(", ", Table.Select(r => r.Safetensors));

    private static Row Find(TensorDType dtype)
    {
        foreach (var row in Table)
        {
            if (row.DType == dtype) return row;
        }
        throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown tensor dtype.");
    }
}
