using Microsoft.ML.OnnxRuntime;
using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Sources;

namespace OnnxBuildTasks.Pipeline.Stages;

/// <summary>
/// ONNX Runtime's offline graph optimization: ORT loads each model at the requested level and
/// writes the optimized graph (large initializers go to an external data file when the input
/// had external data).
/// </summary>
internal static class OptimizeStage
{
    private static readonly (GraphOptimization Level, GraphOptimizationLevel Ort)[] Levels =
    [
        (GraphOptimization.Basic, GraphOptimizationLevel.ORT_ENABLE_BASIC),
        (GraphOptimization.Extended, GraphOptimizationLevel.ORT_ENABLE_EXTENDED),
        (GraphOptimization.All, GraphOptimizationLevel.ORT_ENABLE_ALL),
    ];

    public static StageOutput Run(StageOutput input, ModelRequest request, string directory)
    {
        var level = Levels.Single(l => l.Level == request.Optimize).Ort;
        Directory.CreateDirectory(directory);
        foreach (var file in input.ModelFiles)
        {
            var source = input.PathOf(file);
            var output = Path.Combine(directory, file);
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            try
            {
                using var options = new SessionOptions { GraphOptimizationLevel = level, OptimizedModelFilePath = output };
                if (OnnxExternalData.Locations(source, request.DisplayName).Count > 0)
                {
                    options.AddSessionConfigEntry("session.optimized_model_external_initializers_file_name", Path.GetFileName(output) + ".data");
                    options.AddSessionConfigEntry("session.optimized_model_external_initializers_min_size_in_bytes", "1024");
                }
                Validation.OrtTelemetry.Disable();
                using var session = new InferenceSession(source, options);
            }
            catch (OnnxRuntimeException e)
            {
                throw new OnnxBuildException(ErrorCodes.OptimizeFailed,
                    $"{request.DisplayName}: ONNX Runtime could not optimize '{file}' at level {request.Optimize} ({e.Message}). Use a lower Optimize level or Optimize=none.", e);
            }
        }
        return input with { Directory = directory };
    }
}
