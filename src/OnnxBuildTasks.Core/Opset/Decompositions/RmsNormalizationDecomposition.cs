using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Opset.Decompositions;

/// <summary>
/// RMSNormalization (23) below opset 23: y = x / Sqrt(ReduceMean(Pow(x, 2)) + epsilon) * scale over
/// the axes from <c>axis</c> to the last (half precision computed in float32 when stash_type=1).
/// ReduceMean takes its axes as an input from opset 18, as an attribute before.
/// </summary>
internal sealed class RmsNormalizationDecomposition : IOpAdapter
{
    public string Op => "RMSNormalization";

    public int Version => 23;

    public StepKind Kind => StepKind.NewOperator;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        float epsilon = edit.Float("epsilon", 1e-5f);
        long[] axes = NormalizationParts.Axes(edit, "RMSNormalization");
        var (xc, type, compute, stash) = NormalizationParts.StashedInput(edit);
        var sq = edit.Emit("Pow", [xc, edit.AddFloats(compute, [2], [], "rms_two")]);
        var mean = edit.Emit("ReduceMean", [sq, edit.AddInt64s(axes, "rms_axes")], NodeEdit.IntAttr("keepdims", 1)); // opset 22: axes input
        var rms = edit.Emit("Sqrt", [edit.Emit("Add", [mean, edit.AddFloats(compute, [epsilon], [], "rms_epsilon")])]);
        var normalized = edit.Emit("Div", [xc, rms]);
        if (stash) normalized = edit.Emit("Cast", [normalized], NodeEdit.IntAttr("to", (long)type));
        edit.EmitInto("Mul", [normalized, edit.Input(1)], [edit.Node.Output[0]]);
        edit.Remove();
    }
}
