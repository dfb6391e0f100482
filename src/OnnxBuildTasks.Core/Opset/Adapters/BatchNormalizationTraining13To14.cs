using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>
/// BatchNormalization at 14: <c>training_mode</c> attribute; the optional outputs became the
/// running mean/variance of training mode. Inference nodes (one output) convert both ways.
/// </summary>
internal sealed class BatchNormalizationTraining13To14 : IOpAdapter
{
    public string Op => "BatchNormalization";

    public int Version => 14;

    public StepKind Kind => StepKind.Semantic;

    public void Upgrade(NodeEdit edit) => RequireInference(edit);

    public void Downgrade(NodeEdit edit)
    {
        if (edit.Int("training_mode", 0) != 0)
            throw edit.Fail(ErrorCodes.OpsetValueNotExpressible, "training_mode=1 exists only from opset 14; keep opset >= 14");
        edit.RemoveAttr("training_mode");
        RequireInference(edit);
    }

    private static void RequireInference(NodeEdit edit)
    {
        if (edit.Node.Output.Skip(1).Any(o => o.Length > 0))
            throw edit.Fail(ErrorCodes.OpsetValueNotExpressible, "the training-mode outputs (mean/variance) changed meaning at opset 14; only inference nodes (one output) convert");
    }
}
