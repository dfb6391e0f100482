using OnnxBuildTasks.Diagnostics;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>How a moved attribute's values are stored as an input tensor.</summary>
internal enum MovedValue
{
    /// <summary>ints attribute &lt;-&gt; 1-D int64 input.</summary>
    Ints,
    /// <summary>int attribute &lt;-&gt; int64 input of shape [1].</summary>
    IntAsVector,
    /// <summary>floats attribute &lt;-&gt; 1-D float input.</summary>
    Floats,
}

/// <summary>
/// Schema changes that turned one attribute into a trailing input. Going up the attribute becomes
/// a constant input; going down a constant input folds back into the attribute, and a computed
/// one is refused (the older schema cannot express it).
/// </summary>
internal static class AttributeInputMoveTable
{
    private static readonly string[] ReduceOps18 =
        ["ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceMax", "ReduceMean", "ReduceMin", "ReduceProd", "ReduceSumSquare"];

    // (op, version, attribute, input index, storage, required)
    private static readonly (string Op, int Version, string Attr, int Input, MovedValue Kind, bool Required)[] Table =
    [
        ("Upsample", 9, "scales", 1, MovedValue.Floats, true),
        ("TopK", 10, "k", 1, MovedValue.IntAsVector, true),
        ("Unsqueeze", 13, "axes", 1, MovedValue.Ints, true),
        ("Squeeze", 13, "axes", 1, MovedValue.Ints, false),
        ("ReduceSum", 13, "axes", 1, MovedValue.Ints, false),
        ("Split", 13, "split", 1, MovedValue.Ints, false),
        .. ReduceOps18.Select(op => (op, 18, "axes", 1, MovedValue.Ints, false)),
    ];

    public static IEnumerable<IOpAdapter> Adapters() =>
        Table.Select(e => (IOpAdapter)new AttributeInputMoveAdapter(e.Op, e.Version, e.Attr, e.Input, e.Kind, e.Required));
}

/// <summary>Moves one attribute to input <c>inputIndex</c> (up) and folds a constant input back (down).</summary>
internal sealed class AttributeInputMoveAdapter(string op, int version, string attr, int inputIndex, MovedValue kind, bool required) : IOpAdapter
{
    public string Op => op;

    public int Version => version;

    public StepKind Kind => StepKind.AttributeInputMove;

    public void Upgrade(NodeEdit edit)
    {
        if (edit.Attr(attr) is not { } a)
        {
            if (required) throw edit.Fail(ErrorCodes.OpsetMalformedNode, $"required attribute '{attr}' is missing");
            return;
        }
        string name = kind switch
        {
            MovedValue.Ints => edit.AddInt64s(a.Ints.ToArray(), attr),
            MovedValue.IntAsVector => edit.AddInt64s([a.I], attr),
            _ => edit.AddFloats(DataType.Float, a.Floats.Select(f => (double)f).ToArray(), [a.Floats.Count], attr),
        };
        edit.RemoveAttr(attr);
        edit.SetInput(inputIndex, name);
    }

    public void Downgrade(NodeEdit edit)
    {
        if (!edit.HasInput(inputIndex))
        {
            if (required) throw edit.Fail(ErrorCodes.OpsetMalformedNode, $"required input {inputIndex} ({attr}) is missing");
            return;
        }
        switch (kind)
        {
            case MovedValue.Ints:
                edit.SetInts(attr, edit.RequireConstInts(inputIndex, attr));
                break;
            case MovedValue.IntAsVector:
                var k = edit.RequireConstInts(inputIndex, attr);
                if (k.Length != 1) throw edit.Fail(ErrorCodes.OpsetMalformedNode, $"input '{attr}' must hold one value, not {k.Length}");
                edit.SetInt(attr, k[0]);
                break;
            default:
                edit.SetFloats(attr, edit.RequireConstFloats(inputIndex, attr).Select(v => (float)v));
                break;
        }
        edit.TruncateInputs(inputIndex);
    }
}
