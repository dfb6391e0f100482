using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>Dropout at 10: the <c>mask</c> output became bool (it had the data's type). A Cast keeps consumers' types.</summary>
internal sealed class DropoutMask9To10 : IOpAdapter
{
    public string Op => "Dropout";

    public int Version => 10;

    public StepKind Kind => StepKind.Semantic;

    public void Upgrade(NodeEdit edit)
    {
        if (edit.Node.Output.Count < 2 || edit.Node.Output[1].Length == 0) return;
        var mask = edit.Node.Output[1];
        var type = edit.FloatTypeOf(0);
        edit.EmitAfter("Cast", [edit.RenameOutput(1)], [mask], NodeEdit.IntAttr("to", (long)type));
    }

    public void Downgrade(NodeEdit edit)
    {
        if (edit.Node.Output.Count < 2 || edit.Node.Output[1].Length == 0) return;
        var mask = edit.Node.Output[1];
        edit.EmitAfter("Cast", [edit.RenameOutput(1)], [mask], NodeEdit.IntAttr("to", (long)DataType.Bool));
    }
}
