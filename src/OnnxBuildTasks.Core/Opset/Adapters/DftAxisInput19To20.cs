namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>DFT at 20: the <c>axis</c> attribute (default 1) became scalar input 2 (default -2).</summary>
internal sealed class DftAxisInput19To20 : IOpAdapter
{
    public string Op => "DFT";

    public int Version => 20;

    public StepKind Kind => StepKind.AttributeInputMove;

    public void Upgrade(NodeEdit edit)
    {
        long axis = edit.Int("axis", 1);
        edit.SetInput(2, edit.AddInt64s([axis], "dft_axis", scalar: true));
        edit.RemoveAttr("axis");
    }

    public void Downgrade(NodeEdit edit)
    {
        long axis = edit.HasInput(2) ? edit.RequireConstInts(2, "axis")[0] : -2;
        if (axis < 0) axis += edit.RequireRank(0, "a negative DFT axis");
        edit.SetInt("axis", axis);
        edit.TruncateInputs(2);
    }
}
