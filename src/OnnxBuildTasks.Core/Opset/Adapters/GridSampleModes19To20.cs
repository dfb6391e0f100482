namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>GridSample at 20: modes renamed (bilinear -&gt; linear, bicubic -&gt; cubic) and N-D inputs allowed.</summary>
internal sealed class GridSampleModes19To20 : IOpAdapter
{
    private static readonly (string Old, string New)[] Renames = [("bilinear", "linear"), ("bicubic", "cubic")];

    public string Op => "GridSample";

    public int Version => 20;

    public StepKind Kind => StepKind.Semantic;

    public void Upgrade(NodeEdit edit)
    {
        var mode = edit.Str("mode", "bilinear");
        edit.SetString("mode", Renames.FirstOrDefault(r => r.Old == mode).New ?? mode);
    }

    public void Downgrade(NodeEdit edit)
    {
        var mode = edit.Str("mode", "linear");
        edit.SetString("mode", Renames.FirstOrDefault(r => r.New == mode).Old ?? mode);
    }
}
