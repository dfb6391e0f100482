namespace OnnxBuildTasks.Opset.Decompositions;

/// <summary>GreaterOrEqual / LessOrEqual (12) below opset 12: Or(Greater|Less(a, b), Equal(a, b)) (exact, NaN included).</summary>
internal sealed class ComparisonOrEqualDecomposition(string op, string strict) : IOpAdapter
{
    public string Op => op;

    public int Version => 12;

    public StepKind Kind => StepKind.NewOperator;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        string[] ab = [edit.Input(0), edit.Input(1)];
        var s = edit.Emit(strict, ab);
        var e = edit.Emit("Equal", ab);
        edit.EmitInto("Or", [s, e], [edit.Node.Output[0]]);
        edit.Remove();
    }
}
