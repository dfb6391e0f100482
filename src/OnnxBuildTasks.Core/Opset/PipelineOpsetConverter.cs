using OnnxBuildTasks.Pipeline;

namespace OnnxBuildTasks.Opset;

/// <summary>
/// The pipeline's Convert stage: <see cref="OpsetFileConverter"/> without its own ONNX Runtime
/// comparison, because the pipeline validates the converted model against the pre-conversion
/// one itself (Validate stage).
/// </summary>
internal sealed class PipelineOpsetConverter : IOpsetConverter
{
    public void Convert(string inputPath, string outputPath, int targetOpset, string itemName) =>
        OpsetFileConverter.Convert(inputPath, outputPath, targetOpset, new OpsetFileConversionOptions { Validate = false, ItemName = itemName });
}
