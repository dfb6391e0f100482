namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>Shape at 15: <c>start</c>/<c>end</c> attributes take a slice of the shape. Down: Shape then Slice.</summary>
internal sealed class ShapeStartEnd14To15 : IOpAdapter
{
    public string Op => "Shape";

    public int Version => 15;

    public StepKind Kind => StepKind.Semantic;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        if (edit.Attr("start") is null && edit.Attr("end") is null) return;
        long start = edit.Int("start", 0);
        long end = edit.Int("end", long.MaxValue);
        var shape = edit.Emit("Shape", [edit.Input(0)]);
        edit.EmitInto("Slice", [shape, edit.AddInt64s([start], "shape_start"), edit.AddInt64s([end], "shape_end"), edit.AddInt64s([0], "shape_axis")],
            [edit.Node.Output[0]]);
        edit.Remove();
    }
}
