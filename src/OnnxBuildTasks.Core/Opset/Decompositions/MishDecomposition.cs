namespace OnnxBuildTasks.Opset.Decompositions;

/// <summary>Mish (18) below opset 18: x * Tanh(Softplus(x)).</summary>
internal sealed class MishDecomposition : IOpAdapter
{
    public string Op => "Mish";

    public int Version => 18;

    public StepKind Kind => StepKind.NewOperator;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        var x = edit.Input(0);
        var t = edit.Emit("Tanh", [edit.Emit("Softplus", [x])]);
        edit.EmitInto("Mul", [x, t], [edit.Node.Output[0]]);
        edit.Remove();
    }
}
