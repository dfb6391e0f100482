using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>RoiAlign at 16: <c>coordinate_transformation_mode</c> (default half_pixel); RoiAlign-10 behaves as output_half_pixel.</summary>
internal sealed class RoiAlignCoordinates15To16 : IOpAdapter
{
    public string Op => "RoiAlign";

    public int Version => 16;

    public StepKind Kind => StepKind.Semantic;

    public void Upgrade(NodeEdit edit) => edit.SetString("coordinate_transformation_mode", "output_half_pixel");

    public void Downgrade(NodeEdit edit)
    {
        var mode = edit.Str("coordinate_transformation_mode", "half_pixel");
        if (mode != "output_half_pixel")
            throw edit.Fail(ErrorCodes.OpsetValueNotExpressible, $"coordinate_transformation_mode '{mode}' exists only from opset 16; keep opset >= 16");
        edit.RemoveAttr("coordinate_transformation_mode");
    }
}
