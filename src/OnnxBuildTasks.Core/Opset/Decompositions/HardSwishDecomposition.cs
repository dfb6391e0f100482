namespace OnnxBuildTasks.Opset.Decompositions;

/// <summary>HardSwish (14) below opset 14: x * HardSigmoid(x, alpha = 1/6, beta = 0.5).</summary>
internal sealed class HardSwishDecomposition : IOpAdapter
{
    public string Op => "HardSwish";

    public int Version => 14;

    public StepKind Kind => StepKind.NewOperator;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        var x = edit.Input(0);
        var gate = edit.Emit("HardSigmoid", [x], NodeEdit.FloatAttr("alpha", 1f / 6f), NodeEdit.FloatAttr("beta", 0.5f));
        edit.EmitInto("Mul", [x, gate], [edit.Node.Output[0]]);
        edit.Remove();
    }
}
