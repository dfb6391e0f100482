using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>
/// Opset 11 let axis attributes count from the back (negative values). Going up nothing changes;
/// going down a negative axis is rewritten against the input's rank (declared by the model).
/// Entries whose "attribute" is an index input (Gather, OneHot) record negative indices, which
/// can only be checked at run time; those are noted in the report.
/// </summary>
internal static class NegativeAxisTable
{
    // (op, attribute, rank offset: added to the input rank for the valid range, e.g. Flatten accepts axis == rank)
    private static readonly (string Op, string Attr, int RankOffset)[] Table =
    [
        ("ArgMax", "axis", 0), ("ArgMin", "axis", 0), ("Concat", "axis", 0), ("Flatten", "axis", 0),
        ("Hardmax", "axis", 0), ("LogSoftmax", "axis", 0), ("Softmax", "axis", 0), ("Split", "axis", 0),
        ("Compress", "axis", 0), ("Scan", "scan_input_axes", 0),
        ("ReduceL1", "axes", 0), ("ReduceL2", "axes", 0), ("ReduceLogSum", "axes", 0), ("ReduceLogSumExp", "axes", 0),
        ("ReduceMax", "axes", 0), ("ReduceMean", "axes", 0), ("ReduceMin", "axes", 0), ("ReduceProd", "axes", 0),
        ("ReduceSum", "axes", 0), ("ReduceSumSquare", "axes", 0), ("Squeeze", "axes", 0),
        ("Gather", "<indices>", 0), ("OneHot", "<indices>", 0),
    ];

    public static IEnumerable<IOpAdapter> Adapters() =>
        Table.Select(e => (IOpAdapter)new NegativeAxisAdapter(e.Op, e.Attr));
}

/// <summary>Makes a negative axis attribute non-negative going below opset 11.</summary>
internal sealed class NegativeAxisAdapter(string op, string attr) : IOpAdapter
{
    public string Op => op;

    public int Version => 11;

    public StepKind Kind => StepKind.Semantic;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        if (attr.StartsWith('<'))
        {
            if (edit.ConstInts(1) is { } idx)
            {
                if (idx.Any(i => i < 0))
                    throw edit.Fail(ErrorCodes.OpsetValueNotExpressible, "negative indices exist only from opset 11; keep opset >= 11");
            }
            else edit.Unverified.Add($"{op} indices are computed at run time; negative indices are valid only from opset 11");
            return;
        }
        if (edit.Attr(attr) is not { } a) return;
        if (a.Type == Onnx.AttributeProto.Types.AttributeType.Int)
        {
            if (a.I < 0) edit.SetInt(attr, edit.NonNegativeAxes([a.I], 0, $"negative {attr}")[0]);
        }
        else if (a.Ints.Any(v => v < 0))
        {
            if (op == "Scan") throw edit.Fail(ErrorCodes.OpsetValueNotExpressible, "negative scan axes exist only from opset 11");
            edit.SetInts(attr, edit.NonNegativeAxes(a.Ints.ToArray(), 0, $"negative {attr}"));
        }
    }
}
