using OnnxBuildTasks.Pipeline;
using OnnxBuildTasks.Sources;

namespace OnnxBuildTasks.Export;

/// <summary>
/// The pipeline's checkpoint exporter: runs <see cref="CheckpointExporter"/> on the resolved checkpoint folder
/// (side files are copied by the pipeline, file hashes are in the source fingerprint) and validates the result
/// unless the item says Validate="false".
/// </summary>
public sealed class PipelineExporter : IModelExporter
{
    /// <inheritdoc />
    public Pipeline.ExportResult Export(ResolvedSource source, ModelRequest request, string outputDirectory, PipelineContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        // Export at the asked opset when we can; outside our range export at the nearest and let the converter move it.
        int opset = Math.Clamp(request.Opset ?? CheckpointExporter.DefaultOpset, GraphBuilder.MinOpset, GraphBuilder.MaxOpset);
        context.Log($"{request.DisplayName}: exporting {source.Description} (opset {opset}, {request.Precision.ToString().ToLowerInvariant()})");
        var result = CheckpointExporter.Export(new ExportRequest
        {
            CheckpointFolder = source.LocalPath,
            OutputDirectory = outputDirectory,
            Task = request.Task,
            Opset = opset,
            Precision = request.Precision,
            ItemName = request.DisplayName,
            SourceInfo = new Dictionary<string, string>
            {
                ["description"] = source.Description,
                ["fingerprint"] = source.Fingerprint,
            },
            HashSourceFiles = false,
            CopySideFiles = false,
        });
        if (request.Validate)
        {
            var report = ExportValidation.Validate(result, source.LocalPath, request.Atol, request.DisplayName);
            context.Log($"{request.DisplayName}: validated ({report.Reference ?? "ran on sample inputs"})");
        }
        return new Pipeline.ExportResult
        {
            ModelFiles = [Path.GetFileName(result.ModelPath)],
            Opset = result.Opset,
            DefaultAtol = result.DefaultAtol,
        };
    }
}
