using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>Reshape at 14: <c>allowzero</c>=1 makes a 0 in the shape mean an empty dimension instead of "copy". Down: only when no 0 is possible.</summary>
internal sealed class ReshapeAllowZero13To14 : IOpAdapter
{
    public string Op => "Reshape";

    public int Version => 14;

    public StepKind Kind => StepKind.AttributeAdded;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        if (edit.Int("allowzero", 0) != 0)
        {
            var shape = edit.ConstInts(1);
            if (shape is null || shape.Contains(0))
                throw edit.Fail(ErrorCodes.OpsetValueNotExpressible,
                    "allowzero=1 with a shape that is computed or contains 0 has no equivalent before opset 14; keep opset >= 14");
        }
        edit.RemoveAttr("allowzero");
    }
}
