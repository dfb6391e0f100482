namespace OnnxBuildTasks.Opset.Decompositions;

/// <summary>Swish (24) below opset 24: x * Sigmoid(alpha * x).</summary>
internal sealed class SwishDecomposition : IOpAdapter
{
    public string Op => "Swish";

    public int Version => 24;

    public StepKind Kind => StepKind.NewOperator;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        var x = edit.Input(0);
        float alpha = edit.Float("alpha", 1f);
        var arg = alpha == 1f ? x : edit.Emit("Mul", [x, edit.AddFloats(edit.FloatTypeOf(0), [alpha], [], "swish_alpha")]);
        edit.EmitInto("Mul", [x, edit.Emit("Sigmoid", [arg])], [edit.Node.Output[0]]);
        edit.Remove();
    }
}
