using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>BatchNormalization at 9: the <c>spatial</c> attribute is gone (spatial=1 is the only behaviour kept).</summary>
internal sealed class BatchNormalizationSpatial8To9 : IOpAdapter
{
    public string Op => "BatchNormalization";

    public int Version => 9;

    public StepKind Kind => StepKind.Semantic;

    public void Upgrade(NodeEdit edit)
    {
        if (edit.Int("spatial", 1) != 1)
            throw edit.Fail(ErrorCodes.OpsetValueNotExpressible, "spatial=0 (per-activation statistics) has no equivalent from opset 9 on");
        edit.RemoveAttr("spatial");
    }

    public void Downgrade(NodeEdit edit) { }
}
