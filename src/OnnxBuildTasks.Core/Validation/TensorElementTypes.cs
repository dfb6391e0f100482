using OnnxBuildTasks.Onnx;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Validation;

/// <summary>The ONNX element types tests and validation exchange, with their json names and CLR types.</summary>
public static class TensorElementTypes
{
    // (ONNX type, name used in inputs.json/outputs.json, CLR element type)
    private static readonly (DataType Type, string Name, Type Clr)[] Table =
    [
        (DataType.Float, "float32", typeof(float)),
        (DataType.Double, "float64", typeof(double)),
        (DataType.Float16, "float16", typeof(Half)),
        (DataType.Int64, "int64", typeof(long)),
        (DataType.Int32, "int32", typeof(int)),
        (DataType.Int16, "int16", typeof(short)),
        (DataType.Int8, "int8", typeof(sbyte)),
        (DataType.Uint8, "uint8", typeof(byte)),
        (DataType.Bool, "bool", typeof(bool)),
    ];

    public static Type ClrType(DataType type) =>
        Table.FirstOrDefault(t => t.Type == type).Clr ?? throw new NotSupportedException($"Element type {type} is not supported here.");

    public static string JsonName(DataType type) =>
        Table.FirstOrDefault(t => t.Type == type).Name ?? throw new NotSupportedException($"Element type {type} is not supported here.");

    public static bool TryParse(string name, out DataType type)
    {
        foreach (var t in Table)
        {
            if (t.Name == name) { type = t.Type; return true; }
        }
        type = DataType.Undefined;
        return false;
    }
}
