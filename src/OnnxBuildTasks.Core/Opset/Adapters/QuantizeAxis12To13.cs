using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>QuantizeLinear/DequantizeLinear at 13: per-axis scales (1-D) and the <c>axis</c> attribute. Down: per-tensor (one scale) only.</summary>
internal sealed class QuantizeAxis12To13(string op) : IOpAdapter
{
    public string Op => op;

    public int Version => 13;

    public StepKind Kind => StepKind.AttributeAdded;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        var scale = edit.Input(1);
        var shape = edit.Scope.Shape(scale);
        bool perTensor = shape is not null && shape.All(d => d == 1);
        if (!perTensor)
            throw edit.Fail(ErrorCodes.OpsetValueNotExpressible,
                $"scale '{scale}' is not known to hold a single value; per-axis quantization exists only from opset 13");
        edit.RemoveAttr("axis");
    }
}
