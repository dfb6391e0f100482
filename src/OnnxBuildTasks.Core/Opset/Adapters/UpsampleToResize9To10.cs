namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>Upsample is deprecated at 10 in favour of Resize-10, which takes the same inputs with the same meaning.</summary>
internal sealed class UpsampleToResize9To10 : IOpAdapter
{
    public string Op => "Upsample";

    public int Version => 10;

    public StepKind Kind => StepKind.Semantic;

    public void Upgrade(NodeEdit edit)
    {
        edit.Node.OpType = "Resize";
        edit.Changed = true;
    }

    public void Downgrade(NodeEdit edit) { }
}
