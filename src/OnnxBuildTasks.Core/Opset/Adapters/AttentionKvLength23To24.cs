using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>Attention at 24: optional input 6 <c>nonpad_kv_seqlen</c> (for in-place KV caches). Down: only nodes without it.</summary>
internal sealed class AttentionKvLength23To24 : IOpAdapter
{
    public string Op => "Attention";

    public int Version => 24;

    public StepKind Kind => StepKind.AttributeInputMove;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        if (edit.HasInput(6))
            throw edit.Fail(ErrorCodes.OpsetValueNotExpressible, "input 'nonpad_kv_seqlen' exists only from opset 24; keep opset >= 24");
    }
}
