namespace OnnxBuildTasks.Pipeline;

/// <summary>
/// Converts an ONNX model to another default-domain opset. Registered once in
/// <see cref="PipelineComponents.CreateDefault"/>; without one, items that set an Opset different
/// from their model's fail with <see cref="Diagnostics.ErrorCodes.ConversionNotAvailable"/>.
/// </summary>
public interface IOpsetConverter
{
    /// <summary>
    /// Reads <paramref name="inputPath"/> (with its external data), writes the converted model to
    /// <paramref name="outputPath"/> (external data beside it). Throws a coded exception naming
    /// <paramref name="itemName"/> and the node when a conversion cannot be done.
    /// </summary>
    void Convert(string inputPath, string outputPath, int targetOpset, string itemName);
}
