using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>Slice at 10: <c>starts</c>/<c>ends</c>/<c>axes</c> attributes became inputs 1..3, and input 4 <c>steps</c> appeared.</summary>
internal sealed class SliceInputs9To10 : IOpAdapter
{
    public string Op => "Slice";

    public int Version => 10;

    public StepKind Kind => StepKind.AttributeInputMove;

    public void Upgrade(NodeEdit edit)
    {
        var starts = edit.Ints("starts") ?? throw edit.Fail(ErrorCodes.OpsetMalformedNode, "required attribute 'starts' is missing");
        var ends = edit.Ints("ends") ?? throw edit.Fail(ErrorCodes.OpsetMalformedNode, "required attribute 'ends' is missing");
        edit.SetInput(1, edit.AddInt64s(starts, "starts"));
        edit.SetInput(2, edit.AddInt64s(ends, "ends"));
        if (edit.Ints("axes") is { } axes) edit.SetInput(3, edit.AddInt64s(axes, "axes"));
        edit.RemoveAttr("starts");
        edit.RemoveAttr("ends");
        edit.RemoveAttr("axes");
    }

    public void Downgrade(NodeEdit edit)
    {
        if (edit.HasInput(4) && edit.RequireConstInts(4, "steps").Any(s => s != 1))
            throw edit.Fail(ErrorCodes.OpsetValueNotExpressible, "steps other than 1 exist only from opset 10; keep opset >= 10");
        edit.SetInts("starts", edit.RequireConstInts(1, "starts"));
        edit.SetInts("ends", edit.RequireConstInts(2, "ends"));
        if (edit.HasInput(3)) edit.SetInts("axes", edit.RequireConstInts(3, "axes"));
        edit.TruncateInputs(1);
    }
}
