using OnnxBuildTasks.Onnx;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Opset;

/// <summary>
/// A light forward pass that gives node outputs an element type where the model's value_info
/// does not: enough for adapters to check type extensions and to type the constants they add.
/// Unknown stays unknown (null); nothing here guesses.
/// </summary>
internal static class ElementTypeRules
{
    private static readonly HashSet<string> BoolOutput = new(StringComparer.Ordinal)
    {
        "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor", "Not", "IsNaN", "IsInf",
        "OptionalHasElement", "RegexFullMatch",
    };

    private static readonly HashSet<string> Int64Output = new(StringComparer.Ordinal)
    {
        "Shape", "Size", "ArgMax", "ArgMin", "NonZero", "NonMaxSuppression",
    };

    // Ops whose first output takes the element type of the input at this index.
    private static readonly Dictionary<string, int> FollowsInput = new(StringComparer.Ordinal)
    {
        ["Where"] = 1, ["CastLike"] = 1, ["Expand"] = 0,
    };

    /// <summary>Records (through <paramref name="record"/>) the outputs' element types the node determines.</summary>
    public static void Propagate(NodeProto node, Func<string, DataType?> typeOf, Action<string, DataType> record)
    {
        if (node.Domain is not ("" or "ai.onnx") || node.Output.Count == 0) return;
        DataType? first = node.OpType switch
        {
            "Cast" => (DataType)Attr(node, "to")!.I,
            "Constant" => ConstantType(node),
            "ConstantOfShape" => Attr(node, "value") is { } v ? (DataType)v.T.DataType : DataType.Float,
            "EyeLike" or "RandomNormalLike" or "RandomUniformLike" when Attr(node, "dtype") is { } d => (DataType)d.I,
            _ when BoolOutput.Contains(node.OpType) => DataType.Bool,
            _ when Int64Output.Contains(node.OpType) => DataType.Int64,
            _ => Input(node, FollowsInput.GetValueOrDefault(node.OpType, 0), typeOf),
        };
        if (first is { } f && f != DataType.Undefined && node.Output[0].Length > 0) record(node.Output[0], f);
        switch (node.OpType)
        {
            case "TopK" when node.Output.Count > 1: record(node.Output[1], DataType.Int64); break;
            case "Dropout" when node.Output.Count > 1: record(node.Output[1], DataType.Bool); break;
            case "Split" or "LayerNormalization" when first is { } s:
                foreach (var o in node.Output.Skip(1)) if (o.Length > 0) record(o, node.OpType == "Split" ? s : DataType.Float);
                break;
        }
    }

    private static DataType? Input(NodeProto node, int index, Func<string, DataType?> typeOf) =>
        index < node.Input.Count && node.Input[index].Length > 0 ? typeOf(node.Input[index]) : null;

    private static DataType? ConstantType(NodeProto node)
    {
        foreach (var a in node.Attribute)
        {
            switch (a.Name)
            {
                case "value": return (DataType)a.T.DataType;
                case "value_float" or "value_floats": return DataType.Float;
                case "value_int" or "value_ints": return DataType.Int64;
                case "value_string" or "value_strings": return DataType.String;
            }
        }
        return null;
    }

    private static AttributeProto? Attr(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);
}
