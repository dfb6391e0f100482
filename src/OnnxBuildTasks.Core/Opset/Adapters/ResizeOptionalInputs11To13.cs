using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>Resize at 13: <c>roi</c> and <c>scales</c> may be omitted. Down: give them empty tensors where a later input is used.</summary>
internal sealed class ResizeOptionalInputs11To13 : IOpAdapter
{
    public string Op => "Resize";

    public int Version => 13;

    public StepKind Kind => StepKind.AttributeInputMove;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        if (!edit.HasInput(1)) edit.SetInput(1, edit.AddFloats(DataType.Float, [], [0], "roi"));
        if (!edit.HasInput(2) && edit.HasInput(3)) edit.SetInput(2, edit.AddFloats(DataType.Float, [], [0], "scales"));
    }
}
