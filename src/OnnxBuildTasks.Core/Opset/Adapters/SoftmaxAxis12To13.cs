namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>
/// Softmax, LogSoftmax and Hardmax at 13: the op now works along <c>axis</c> alone (default -1)
/// instead of coercing the input to 2-D at <c>axis</c> (default 1). Where the axis is the last
/// one both agree; otherwise up = Flatten(axis) -&gt; op(axis=-1) -&gt; Reshape(Shape(x)) and
/// down = Transpose(axis &lt;-&gt; last) -&gt; op(last) -&gt; Transpose back.
/// </summary>
internal sealed class SoftmaxAxis12To13(string op) : IOpAdapter
{
    public string Op => op;

    public int Version => 13;

    public StepKind Kind => StepKind.Semantic;

    public void Upgrade(NodeEdit edit)
    {
        long axis = edit.Int("axis", 1);
        int? rank = edit.Scope.Rank(edit.Input(0));
        if (axis == -1 || (rank is { } r && (axis < 0 ? axis + r : axis) == r - 1))
        {
            edit.SetInt("axis", axis);
            return;
        }
        var x = edit.Input(0);
        var flat = edit.Emit("Flatten", [x], NodeEdit.IntAttr("axis", axis));
        var y = edit.Emit(op, [flat], NodeEdit.IntAttr("axis", -1)); // Flatten gives 2-D: the last axis is axis 1
        var shape = edit.Emit("Shape", [x]);
        edit.EmitInto("Reshape", [y, shape], [edit.Node.Output[0]]);
        edit.Remove();
    }

    public void Downgrade(NodeEdit edit)
    {
        long axis = edit.Int("axis", -1);
        int? rank = edit.Scope.Rank(edit.Input(0));
        if (axis == -1 || (rank is { } r && (axis < 0 ? axis + r : axis) == r - 1))
        {
            edit.SetInt("axis", axis);
            return;
        }
        int n = edit.RequireRank(0, $"{op} over a non-last axis");
        long a = axis < 0 ? axis + n : axis;
        var perm = Enumerable.Range(0, n).Select(i => (long)i).ToArray();
        (perm[a], perm[n - 1]) = (perm[n - 1], perm[a]);
        var t = edit.Emit("Transpose", [edit.Input(0)], NodeEdit.IntsAttr("perm", perm));
        var y = edit.Emit(op, [t], NodeEdit.IntAttr("axis", n - 1));
        edit.EmitInto("Transpose", [y], [edit.Node.Output[0]], NodeEdit.IntsAttr("perm", perm));
        edit.Remove();
    }
}
