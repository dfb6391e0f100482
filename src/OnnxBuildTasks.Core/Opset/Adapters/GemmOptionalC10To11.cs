using OnnxBuildTasks.Diagnostics;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>Gemm at 11: input C became optional. Down: a zero scalar C (broadcast, so the result is unchanged).</summary>
internal sealed class GemmOptionalC10To11 : IOpAdapter
{
    public string Op => "Gemm";

    public int Version => 11;

    public StepKind Kind => StepKind.AttributeInputMove;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        if (edit.HasInput(2)) return;
        var type = edit.TypeOf(edit.Input(0)) ?? DataType.Float;
        string zero = type switch
        {
            _ when TensorValues.IsFloating(type) => edit.AddFloats(type, [0], [], "gemm_c"),
            DataType.Int64 => edit.AddInt64s([0], "gemm_c", scalar: true),
            _ => throw edit.Fail(ErrorCodes.OpsetTypeNotInTarget, $"cannot make a zero C of type {type}"),
        };
        edit.SetInput(2, zero);
    }
}
