using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>
/// Schema changes that add an attribute (or new values of an existing one) whose default keeps
/// the old meaning. Going up nothing changes; going down the attribute is dropped when it holds
/// the default, and the node is refused when it holds a value the older schema cannot express.
/// </summary>
internal static class AttributeAddedTable
{
    // (op, version, attribute, default as text (null: any value of NewValues is refused, others kept), values only the new schema has)
    private static readonly (string Op, int Version, string Attr, string? Default, string[] NewValues)[] Table =
    [
        ("MaxPool", 8, "storage_order", "0", []),
        ("AveragePool", 10, "ceil_mode", "0", []),
        ("MaxPool", 10, "ceil_mode", "0", []),
        ("MaxPool", 10, "dilations", "1", []),
        ("DepthToSpace", 11, "mode", "DCR", []),
        ("TopK", 11, "largest", "1", []),
        ("TopK", 11, "sorted", "1", []),
        ("Constant", 11, "sparse_value", "", []),
        ("ArgMax", 12, "select_last_index", "0", []),
        ("ArgMin", 12, "select_last_index", "0", []),
        ("GatherND", 12, "batch_dims", "0", []),
        ("ReduceSum", 13, "noop_with_empty_axes", "0", []),
        ("GRU", 14, "layout", "0", []),
        ("LSTM", 14, "layout", "0", []),
        ("RNN", 14, "layout", "0", []),
        ("ScatterElements", 16, "reduction", "none", []),
        ("ScatterND", 16, "reduction", "none", []),
        ("ScatterElements", 18, "reduction", null, ["max", "min"]),
        ("ScatterND", 18, "reduction", null, ["max", "min"]),
        ("LpPool", 18, "ceil_mode", "0", []),
        ("Resize", 18, "antialias", "0", []),
        ("Resize", 18, "keep_aspect_ratio_policy", "stretch", []),
        ("Resize", 18, "axes", "", []),
        ("ReduceL1", 18, "noop_with_empty_axes", "0", []), ("ReduceL2", 18, "noop_with_empty_axes", "0", []),
        ("ReduceLogSum", 18, "noop_with_empty_axes", "0", []), ("ReduceLogSumExp", 18, "noop_with_empty_axes", "0", []),
        ("ReduceMax", 18, "noop_with_empty_axes", "0", []), ("ReduceMean", 18, "noop_with_empty_axes", "0", []),
        ("ReduceMin", 18, "noop_with_empty_axes", "0", []), ("ReduceProd", 18, "noop_with_empty_axes", "0", []),
        ("ReduceSumSquare", 18, "noop_with_empty_axes", "0", []),
        ("AveragePool", 19, "dilations", "1", []),
        ("Cast", 19, "saturate", "*", []),
        ("CastLike", 19, "saturate", "*", []),
        ("QuantizeLinear", 19, "saturate", "*", []),
        ("Pad", 19, "mode", null, ["wrap"]),
        ("Resize", 19, "coordinate_transformation_mode", null, ["half_pixel_symmetric"]),
        ("DequantizeLinear", 21, "block_size", "0", []),
        ("QuantizeLinear", 21, "block_size", "0", []),
        ("QuantizeLinear", 21, "output_dtype", "0", []),
    ];

    public static IEnumerable<IOpAdapter> Adapters() =>
        Table.Select(e => (IOpAdapter)new AttributeAddedAdapter(e.Op, e.Version, e.Attr, e.Default, e.NewValues));
}

/// <summary>
/// Drops an attribute holding its default when going below <see cref="Version"/>; refuses other values.
/// A default of "*" means the attribute only affects types the older schema lacks, so it is dropped whatever it holds.
/// An empty default means the attribute must be absent.
/// </summary>
internal sealed class AttributeAddedAdapter(string op, int version, string attr, string? defaultValue, string[] newValues) : IOpAdapter
{
    public string Op => op;

    public int Version => version;

    public StepKind Kind => StepKind.AttributeAdded;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        if (edit.Attr(attr) is not { } a) return;
        var text = a.Type switch
        {
            AttributeProto.Types.AttributeType.Int => a.I.ToString(System.Globalization.CultureInfo.InvariantCulture),
            AttributeProto.Types.AttributeType.String => a.S.ToStringUtf8(),
            AttributeProto.Types.AttributeType.Ints => a.Ints.All(v => v == 1) ? "1" : string.Join(",", a.Ints),
            AttributeProto.Types.AttributeType.Float => a.F.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => "<" + a.Type + ">",
        };
        if (defaultValue is null)
        {
            if (Array.IndexOf(newValues, text) >= 0)
                throw edit.Fail(ErrorCodes.OpsetValueNotExpressible, $"{attr}='{text}' exists only from opset {version}; keep opset >= {version}");
            return;
        }
        if (defaultValue == "*" || text == defaultValue)
        {
            edit.RemoveAttr(attr);
            return;
        }
        throw edit.Fail(ErrorCodes.OpsetValueNotExpressible,
            $"attribute {attr}={text} exists only from opset {version} (the older {op} behaves as {(defaultValue.Length == 0 ? "if it were absent" : attr + "=" + defaultValue)}); keep opset >= {version}");
    }
}
