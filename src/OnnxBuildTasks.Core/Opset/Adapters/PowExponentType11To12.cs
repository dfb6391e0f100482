using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>Pow at 12: the exponent may have its own type (and integer bases appear). Down: base and exponent must share a float type.</summary>
internal sealed class PowExponentType11To12 : IOpAdapter
{
    public string Op => "Pow";

    public int Version => 12;

    public StepKind Kind => StepKind.TypeExtension;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        var a = edit.TypeOf(edit.Input(0));
        var b = edit.TypeOf(edit.Input(1));
        if (a is null || b is null) { edit.Unverified.Add("Pow input types unknown; opset 12 mixed-type check not verified"); return; }
        if (a != b || !TensorValues.IsFloating(a.Value))
            throw edit.Fail(ErrorCodes.OpsetTypeNotInTarget, $"base is {a} and exponent {b}; before opset 12 both must be the same float type");
    }
}
