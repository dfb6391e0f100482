using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>MaxPool at 8: optional second output <c>Indices</c>. Down: only nodes that do not use it.</summary>
internal sealed class MaxPoolIndicesOutput7To8 : IOpAdapter
{
    public string Op => "MaxPool";

    public int Version => 8;

    public StepKind Kind => StepKind.Semantic;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        if (edit.Node.Output.Count > 1 && edit.Node.Output[1].Length > 0)
            throw edit.Fail(ErrorCodes.OpsetValueNotExpressible, "the Indices output exists only from opset 8; keep opset >= 8");
    }
}
