using OnnxBuildTasks.Diagnostics;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>Dropout at 12: <c>ratio</c> became input 1, <c>training_mode</c> input 2 appeared, <c>seed</c> attribute added.</summary>
internal sealed class DropoutInputs11To12 : IOpAdapter
{
    public string Op => "Dropout";

    public int Version => 12;

    public StepKind Kind => StepKind.AttributeInputMove;

    public void Upgrade(NodeEdit edit)
    {
        if (edit.Attr("ratio") is { } r)
        {
            edit.SetInput(1, edit.AddFloats(DataType.Float, [r.F], [], "ratio"));
            edit.RemoveAttr("ratio");
        }
    }

    public void Downgrade(NodeEdit edit)
    {
        if (edit.HasInput(2))
        {
            var training = edit.Scope.Constant(edit.Input(2)) is { } t ? TensorValues.ReadBools(t) : null;
            if (training is null)
                throw edit.Fail(ErrorCodes.OpsetNonConstantInput, $"training_mode input '{edit.Input(2)}' is not a constant; before opset 12 Dropout has no training mode");
            if (training.Any(b => b))
                throw edit.Fail(ErrorCodes.OpsetValueNotExpressible, "training_mode=true exists only from opset 12; keep opset >= 12");
        }
        if (edit.HasInput(1)) edit.SetFloat("ratio", (float)edit.RequireConstFloats(1, "ratio")[0]);
        edit.RemoveAttr("seed");
        edit.TruncateInputs(1);
    }
}
