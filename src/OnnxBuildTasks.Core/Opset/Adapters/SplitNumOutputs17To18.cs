using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>
/// Split at 18: without a <c>split</c> input the node must say <c>num_outputs</c>, and uneven
/// splits give the last output the remainder. Up: add num_outputs. Down: turn num_outputs into a
/// split input (constant when the dimension is static, computed with Shape/Gather/Div otherwise).
/// </summary>
internal sealed class SplitNumOutputs17To18 : IOpAdapter
{
    public string Op => "Split";

    public int Version => 18;

    public StepKind Kind => StepKind.Semantic;

    public void Upgrade(NodeEdit edit)
    {
        if (!edit.HasInput(1) && edit.Attr("num_outputs") is null) edit.SetInt("num_outputs", edit.Node.Output.Count);
    }

    public void Downgrade(NodeEdit edit)
    {
        if (edit.Attr("num_outputs") is not { } a) return;
        long n = a.I;
        edit.RemoveAttr("num_outputs");
        if (edit.HasInput(1)) return;
        if (n != edit.Node.Output.Count)
            throw edit.Fail(ErrorCodes.OpsetMalformedNode, $"num_outputs={n} but the node has {edit.Node.Output.Count} outputs");
        long axis = edit.Int("axis", 0);
        var x = edit.Input(0);
        int? rank = edit.Scope.Rank(x);
        long? dim = rank is { } r ? edit.Dim(x, (int)(axis < 0 ? axis + r : axis)) : null;
        if (dim is { } d)
        {
            long chunk = (d + n - 1) / n;
            var sizes = Enumerable.Repeat(chunk, (int)n - 1).Append(d - chunk * (n - 1)).ToArray();
            edit.SetInput(1, edit.AddInt64s(sizes, "split"));
            return;
        }
        var shape = edit.Emit("Shape", [x]);
        var len = edit.Emit("Gather", [shape, edit.AddInt64s([axis], "split_axis")], NodeEdit.IntAttr("axis", 0));
        var padded = edit.Emit("Add", [len, edit.AddInt64s([n - 1], "split_nm1")]);
        var c = edit.Emit("Div", [padded, edit.AddInt64s([n], "split_n")]);
        var rest = edit.Emit("Mul", [c, edit.AddInt64s([n - 1], "split_nm1")]);
        var last = edit.Emit("Sub", [len, rest]);
        var split = edit.Emit("Concat", [.. Enumerable.Repeat(c, (int)n - 1), last], NodeEdit.IntAttr("axis", 0));
        edit.SetInput(1, split);
    }
}
