namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>ScatterElements appears at 11 as the renamed Scatter-9. Down: back to Scatter with a non-negative axis.</summary>
internal sealed class ScatterElementsToScatter10To11 : IOpAdapter
{
    public string Op => "ScatterElements";

    public int Version => 11;

    public StepKind Kind => StepKind.NewOperator;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        if (edit.Int("axis", 0) is var axis && axis < 0) edit.SetInt("axis", edit.NonNegativeAxes([axis], 0, "negative ScatterElements axis")[0]);
        edit.Node.OpType = "Scatter";
        edit.Changed = true;
    }
}
