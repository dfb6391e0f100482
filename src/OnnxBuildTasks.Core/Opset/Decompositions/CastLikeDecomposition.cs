using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Opset.Decompositions;

/// <summary>CastLike (15) below opset 15: Cast to the element type of the second input (which the model must declare).</summary>
internal sealed class CastLikeDecomposition : IOpAdapter
{
    public string Op => "CastLike";

    public int Version => 15;

    public StepKind Kind => StepKind.NewOperator;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        var type = edit.TypeOf(edit.Input(1))
            ?? throw edit.Fail(ErrorCodes.OpsetRankUnknown, $"the element type of '{edit.Input(1)}' is not declared, so the Cast target is unknown");
        edit.EmitInto("Cast", [edit.Input(0)], [edit.Node.Output[0]], NodeEdit.IntAttr("to", (long)type));
        edit.Remove();
    }
}
