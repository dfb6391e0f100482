using OnnxBuildTasks.Diagnostics;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>
/// Resize at 11: inputs become (X, roi, scales, sizes) and the sampling is described by
/// <c>coordinate_transformation_mode</c> (default half_pixel) and <c>nearest_mode</c>. Resize-10
/// samples like Upsample: asymmetric coordinates, nearest rounds down. Up: say so explicitly.
/// Down: only that sampling (nearest/linear, asymmetric, floor, scales given) is expressible.
/// </summary>
internal sealed class Resize10To11 : IOpAdapter
{
    public string Op => "Resize";

    public int Version => 11;

    public StepKind Kind => StepKind.Semantic;

    public void Upgrade(NodeEdit edit)
    {
        var scales = edit.Input(1);
        edit.SetInput(1, edit.AddFloats(DataType.Float, [], [0], "roi"));
        edit.SetInput(2, scales);
        edit.SetString("coordinate_transformation_mode", "asymmetric");
        if (edit.Str("mode", "nearest") == "nearest") edit.SetString("nearest_mode", "floor");
    }

    public void Downgrade(NodeEdit edit)
    {
        string mode = edit.Str("mode", "nearest");
        Require(edit, mode is "nearest" or "linear", $"mode '{mode}'");
        string coords = edit.Str("coordinate_transformation_mode", "half_pixel");
        Require(edit, coords == "asymmetric", $"coordinate_transformation_mode '{coords}'");
        if (mode == "nearest") Require(edit, edit.Str("nearest_mode", "round_prefer_floor") == "floor", $"nearest_mode '{edit.Str("nearest_mode", "round_prefer_floor")}'");
        Require(edit, edit.Int("exclude_outside", 0) == 0, "exclude_outside=1");
        Require(edit, !edit.HasInput(3), "output sizes (the 'sizes' input)");
        if (!edit.HasInput(2)) throw edit.Fail(ErrorCodes.OpsetMalformedNode, "Resize without scales or sizes");
        var scales = edit.Input(2);
        edit.TruncateInputs(1);
        edit.SetInput(1, scales);
        foreach (var a in new[] { "coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a", "exclude_outside", "extrapolation_value" })
            edit.RemoveAttr(a);
    }

    private static void Require(NodeEdit edit, bool ok, string what)
    {
        if (!ok)
            throw edit.Fail(ErrorCodes.OpsetValueNotExpressible,
                $"{what} has no equivalent in Resize-10 (asymmetric nearest-floor or linear sampling from scales only); keep opset >= 11");
    }
}
