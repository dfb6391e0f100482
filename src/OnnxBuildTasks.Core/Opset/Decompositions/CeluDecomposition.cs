namespace OnnxBuildTasks.Opset.Decompositions;

/// <summary>Celu (12) below opset 12: alpha * Elu(x / alpha) with Elu's alpha = 1.</summary>
internal sealed class CeluDecomposition : IOpAdapter
{
    public string Op => "Celu";

    public int Version => 12;

    public StepKind Kind => StepKind.NewOperator;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        float alpha = edit.Float("alpha", 1f);
        var type = edit.FloatTypeOf(0);
        var a = edit.AddFloats(type, [alpha], [], "celu_alpha");
        var elu = edit.Emit("Elu", [edit.Emit("Div", [edit.Input(0), a])], NodeEdit.FloatAttr("alpha", 1f));
        edit.EmitInto("Mul", [elu, a], [edit.Node.Output[0]]);
        edit.Remove();
    }
}
