namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>Slice at 11: negative values in the <c>axes</c> input count from the back. Down: rewrite constant negative axes with the rank.</summary>
internal sealed class SliceNegativeAxes10To11 : IOpAdapter
{
    public string Op => "Slice";

    public int Version => 11;

    public StepKind Kind => StepKind.Semantic;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        if (!edit.HasInput(3)) return;
        if (edit.ConstInts(3) is not { } axes)
        {
            edit.Unverified.Add("Slice axes are computed at run time; negative axes are valid only from opset 11");
            return;
        }
        if (axes.All(a => a >= 0)) return;
        edit.SetInput(3, edit.AddInt64s(edit.NonNegativeAxes(axes, 0, "negative Slice axes"), "axes"));
    }
}
