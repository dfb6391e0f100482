namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>Unsqueeze at 11: negative axes count from the back of the output. Down: rewrite them with the output rank.</summary>
internal sealed class UnsqueezeNegativeAxes10To11 : IOpAdapter
{
    public string Op => "Unsqueeze";

    public int Version => 11;

    public StepKind Kind => StepKind.Semantic;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        if (edit.Ints("axes") is not { } axes || axes.All(a => a >= 0)) return;
        int outRank = edit.RequireRank(0, "negative Unsqueeze axes") + axes.Length;
        edit.SetInts("axes", axes.Select(a => a < 0 ? a + outRank : a));
    }
}
