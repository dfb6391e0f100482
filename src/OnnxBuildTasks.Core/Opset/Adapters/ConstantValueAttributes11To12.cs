using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>Constant at 12: value_float(s)/value_int(s)/value_string(s) attributes. Down: numeric forms become a <c>value</c> tensor.</summary>
internal sealed class ConstantValueAttributes11To12 : IOpAdapter
{
    public string Op => "Constant";

    public int Version => 12;

    public StepKind Kind => StepKind.AttributeAdded;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        if (edit.Attr("value") is not null || edit.Attr("sparse_value") is not null) return;
        if (edit.Attr("value_string") is not null || edit.Attr("value_strings") is not null)
            throw edit.Fail(ErrorCodes.OpsetValueNotExpressible, "value_string(s) exists only from opset 12; keep opset >= 12");
        var tensor = ConstantNodes.ToTensor(edit.Node) ?? throw edit.Fail(ErrorCodes.OpsetMalformedNode, "Constant without a value");
        foreach (var name in new[] { "value_float", "value_floats", "value_int", "value_ints" }) edit.RemoveAttr(name);
        edit.SetAttr(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = tensor });
    }
}
