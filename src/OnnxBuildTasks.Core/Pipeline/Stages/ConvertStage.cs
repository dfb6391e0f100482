using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Pipeline.Stages;

/// <summary>Converts every model file to the item's Opset, when it asks for one the files are not at.</summary>
internal static class ConvertStage
{
    public static bool IsNeeded(ModelRequest request, StageOutput input) =>
        request.Opset is { } target && input.Opset != target;

    public static StageOutput Run(StageOutput input, ModelRequest request, IOpsetConverter? converter, string directory)
    {
        var target = request.Opset!.Value;
        if (converter is null)
        {
            throw new OnnxBuildException(ErrorCodes.ConversionNotAvailable,
                $"{request.DisplayName}: the model is at opset {input.Opset?.ToString() ?? "(none)"} and Opset={target} asks for a conversion, which this version of OnnxBuildTasks cannot do. Remove Opset or set it to {input.Opset}.");
        }
        Directory.CreateDirectory(directory);
        foreach (var file in input.ModelFiles)
        {
            var output = Path.Combine(directory, file);
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            converter.Convert(input.PathOf(file), output, target, request.DisplayName);
        }
        return input with { Directory = directory, Opset = target };
    }
}
