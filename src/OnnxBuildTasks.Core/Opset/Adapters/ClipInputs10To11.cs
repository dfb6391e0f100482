namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>Clip at 11: <c>min</c>/<c>max</c> attributes became optional scalar inputs 1 and 2 (typed like the data).</summary>
internal sealed class ClipInputs10To11 : IOpAdapter
{
    public string Op => "Clip";

    public int Version => 11;

    public StepKind Kind => StepKind.AttributeInputMove;

    public void Upgrade(NodeEdit edit)
    {
        var type = edit.FloatTypeOf(0);
        if (edit.Attr("min") is { } min) edit.SetInput(1, edit.AddFloats(type, [min.F], [], "clip_min"));
        if (edit.Attr("max") is { } max) edit.SetInput(2, edit.AddFloats(type, [max.F], [], "clip_max"));
        edit.RemoveAttr("min");
        edit.RemoveAttr("max");
    }

    public void Downgrade(NodeEdit edit)
    {
        if (edit.HasInput(1)) edit.SetFloat("min", (float)edit.RequireConstFloats(1, "min")[0]);
        if (edit.HasInput(2)) edit.SetFloat("max", (float)edit.RequireConstFloats(2, "max")[0]);
        edit.TruncateInputs(1);
    }
}
