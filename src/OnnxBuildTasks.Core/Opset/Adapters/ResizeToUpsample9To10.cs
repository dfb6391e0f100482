namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>Resize appears at 10 with Upsample-9's inputs and meaning (X, scales; mode). Down: it is an Upsample.</summary>
internal sealed class ResizeToUpsample9To10 : IOpAdapter
{
    public string Op => "Resize";

    public int Version => 10;

    public StepKind Kind => StepKind.NewOperator;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        edit.Node.OpType = "Upsample";
        edit.Changed = true;
    }
}
