namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>Scatter is deprecated at 11; ScatterElements-11 is the same operator (plus negative axis/indices).</summary>
internal sealed class ScatterToScatterElements10To11 : IOpAdapter
{
    public string Op => "Scatter";

    public int Version => 11;

    public StepKind Kind => StepKind.Semantic;

    public void Upgrade(NodeEdit edit)
    {
        edit.Node.OpType = "ScatterElements";
        edit.Changed = true;
    }

    public void Downgrade(NodeEdit edit) { }
}
