using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Sources;

namespace OnnxBuildTasks.Pipeline.Stages;

/// <summary>First stage: an ONNX file is taken as is; a checkpoint goes to the registered exporter.</summary>
internal static class ProduceStage
{
    public static StageOutput Run(ResolvedSource source, ModelRequest request, IModelExporter? exporter, string directory, PipelineContext context)
    {
        Directory.CreateDirectory(directory);
        if (source.Kind == SourceKind.OnnxFile)
        {
            ModelFileCopy.Copy(source.LocalPath, directory, "model.onnx", request.DisplayName);
            return new StageOutput(directory, ["model.onnx"], OpsetReader.DefaultOpset(Path.Combine(directory, "model.onnx")));
        }
        if (exporter is null) throw ExportNotAvailable(request);
        var result = exporter.Export(source, request, directory, context);
        return new StageOutput(directory, result.ModelFiles, result.Opset, result.DefaultAtol);
    }

    public static OnnxBuildException ExportNotAvailable(ModelRequest request) => new(ErrorCodes.ExportNotAvailable,
        $"{request.DisplayName}: this is a checkpoint that must be exported to ONNX, and this version of OnnxBuildTasks has no exporter. Export it to an .onnx file and reference that file instead.");
}
