namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>Pad at 11: <c>pads</c> and <c>value</c> attributes became inputs 1 and 2 (value typed like the data).</summary>
internal sealed class PadInputs10To11 : IOpAdapter
{
    public string Op => "Pad";

    public int Version => 11;

    public StepKind Kind => StepKind.AttributeInputMove;

    public void Upgrade(NodeEdit edit)
    {
        var pads = edit.Ints("pads") ?? throw edit.Fail(Diagnostics.ErrorCodes.OpsetMalformedNode, "required attribute 'pads' is missing");
        edit.SetInput(1, edit.AddInt64s(pads, "pads"));
        if (edit.Attr("value") is { } v && v.F != 0)
            edit.SetInput(2, edit.AddFloats(edit.FloatTypeOf(0), [v.F], [], "pad_value"));
        edit.RemoveAttr("pads");
        edit.RemoveAttr("value");
    }

    public void Downgrade(NodeEdit edit)
    {
        edit.SetInts("pads", edit.RequireConstInts(1, "pads"));
        if (edit.HasInput(2))
        {
            var v = edit.RequireConstFloats(2, "constant_value");
            if (v.Length > 0 && v[0] != 0) edit.SetFloat("value", (float)v[0]);
        }
        edit.TruncateInputs(1);
    }
}
