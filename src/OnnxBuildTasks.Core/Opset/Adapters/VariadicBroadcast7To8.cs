using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>Max/Min/Mean/Sum at 8: inputs broadcast. Down: only when all inputs have the same declared static shape.</summary>
internal sealed class VariadicBroadcast7To8(string op) : IOpAdapter
{
    public string Op => op;

    public int Version => 8;

    public StepKind Kind => StepKind.Semantic;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        if (edit.Node.Input.Count < 2) return;
        var shapes = edit.Node.Input.Select(i => edit.Scope.Shape(i)).ToArray();
        bool same = shapes.All(s => s is not null && s.All(d => d is not null)) &&
                    shapes.All(s => s!.SequenceEqual(shapes[0]!));
        if (!same)
            throw edit.Fail(ErrorCodes.OpsetValueNotExpressible, $"{op} broadcasts its inputs only from opset 8, and the inputs are not known to have one shape");
    }
}
