using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Opset.Decompositions;

/// <summary>
/// LayerNormalization (17) below opset 17: mean = ReduceMean(x), d = x - mean,
/// var = ReduceMean(Pow(d, 2)), y = d / Sqrt(var + epsilon) * scale + bias, over the axes from
/// <c>axis</c> to the last. Half-precision inputs with stash_type=1 are computed in float32 like
/// the operator's own definition; the optional Mean/InvStdDev outputs are produced when used.
/// </summary>
internal sealed class LayerNormalizationDecomposition : IOpAdapter
{
    public string Op => "LayerNormalization";

    public int Version => 17;

    public StepKind Kind => StepKind.NewOperator;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        float epsilon = edit.Float("epsilon", 1e-5f);
        long[] axes = NormalizationParts.Axes(edit, "LayerNormalization");
        var (xc, type, compute, stash) = NormalizationParts.StashedInput(edit);

        var axesAttr = NodeEdit.IntsAttr("axes", axes);
        var mean = edit.Emit("ReduceMean", [xc], axesAttr, NodeEdit.IntAttr("keepdims", 1));
        var d = edit.Emit("Sub", [xc, mean]);
        var sq = edit.Emit("Pow", [d, edit.AddFloats(compute, [2], [], "ln_two")]);
        var variance = edit.Emit("ReduceMean", [sq], NodeEdit.IntsAttr("axes", axes), NodeEdit.IntAttr("keepdims", 1));
        var ve = edit.Emit("Add", [variance, edit.AddFloats(compute, [epsilon], [], "ln_epsilon")]);
        var std = edit.Emit("Sqrt", [ve]);
        var normalized = edit.Emit("Div", [d, std]);
        if (stash) normalized = edit.Emit("Cast", [normalized], NodeEdit.IntAttr("to", (long)type));

        var outputs = edit.Node.Output;
        if (edit.HasInput(2))
        {
            var scaled = edit.Emit("Mul", [normalized, edit.Input(1)]);
            edit.EmitInto("Add", [scaled, edit.Input(2)], [outputs[0]]);
        }
        else edit.EmitInto("Mul", [normalized, edit.Input(1)], [outputs[0]]);
        if (outputs.Count > 1 && outputs[1].Length > 0) edit.EmitInto("Identity", [mean], [outputs[1]]);
        if (outputs.Count > 2 && outputs[2].Length > 0) edit.EmitInto("Reciprocal", [std], [outputs[2]]);
        edit.Remove();
    }
}
