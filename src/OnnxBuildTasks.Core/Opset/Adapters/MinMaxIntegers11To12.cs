using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>
/// Max/Min at 12 accept integer tensors (before: float types only). Down: integer inputs are cast to
/// double, compared, and the result cast back, which is exact for integers within 2^53 (noted).
/// </summary>
internal sealed class MinMaxIntegers11To12(string op) : IOpAdapter
{
    public string Op => op;

    public int Version => 12;

    public StepKind Kind => StepKind.TypeExtension;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        var type = edit.TypeOf(edit.Node.Output[0]) ?? edit.TypeOf(edit.Input(0));
        if (type is null)
        {
            edit.Unverified.Add($"{op} element type unknown; opset 12 integer-type check not verified");
            return;
        }
        if (TensorValues.IsFloating(type.Value)) return;
        for (int i = 0; i < edit.Node.Input.Count; i++)
            edit.Node.Input[i] = edit.Emit("Cast", [edit.Input(i)], NodeEdit.IntAttr("to", (long)DataType.Double));
        var output = edit.Node.Output[0];
        edit.EmitAfter("Cast", [edit.RenameOutput(0)], [output], NodeEdit.IntAttr("to", (long)type.Value));
        edit.Notes.Add($"{type} {op} computed in double below opset 12 (exact for values within 2^53)");
    }
}
