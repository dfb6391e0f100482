namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>Pad at 18: optional <c>axes</c> input (3) limits the pads to some axes. Down: expand the pads to every axis.</summary>
internal sealed class PadAxes17To18 : IOpAdapter
{
    public string Op => "Pad";

    public int Version => 18;

    public StepKind Kind => StepKind.AttributeInputMove;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        if (!edit.HasInput(3)) return;
        var axes = edit.RequireConstInts(3, "axes");
        var pads = edit.RequireConstInts(1, "pads (with axes)");
        int rank = edit.RequireRank(0, "expanding Pad axes");
        axes = axes.Select(a => a < 0 ? a + rank : a).ToArray();
        var full = new long[2 * rank];
        for (int i = 0; i < axes.Length; i++)
        {
            full[axes[i]] = pads[i];
            full[axes[i] + rank] = pads[i + axes.Length];
        }
        edit.SetInput(1, edit.AddInt64s(full, "pads"));
        edit.TruncateInputs(3);
    }
}
