using OnnxBuildTasks.Pipeline;
using OnnxBuildTasks.Sources;

namespace OnnxBuildTasks.Export;

/// <summary>
/// The pipeline's checkpoint exporter: runs <see cref="CheckpointExporter"/> on the resolved checkpoint folder
/// (side files are copied by the pipeline; the source's repo, commit and per-file sha256 go to metadata_props) and, unless the item says
/// Validate="false", compares the result with the checkpoint's reference tensors (inputs.json + outputs.json) when present.
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
            SourceInfo = SourceInfo(source),
            // The resolver already hashed every source file (SourceInfo carries them): no second pass over the weights.
            HashSourceFiles = false,
            CopySideFiles = false,
        });
        // The pipeline's validation stage runs every produced model; this adds the comparison with the
        // outputs the source framework computed, when the checkpoint carries them.
        if (request.Validate && ExportValidation.HasReferenceTensors(source.LocalPath))
        {
            var report = ExportValidation.Validate(result, source.LocalPath, request.Atol, request.DisplayName);
            context.Log($"{request.DisplayName}: export validated against the checkpoint's {report.Reference}");
        }
        return new Pipeline.ExportResult
        {
            ModelFiles = [Path.GetFileName(result.ModelPath)],
            Opset = result.Opset,
            DefaultAtol = result.DefaultAtol,
        };
    }

    /// <summary>
    /// What metadata_props records about <paramref name="source"/> (each key gets the <c>onnxbuildtasks.source.</c> prefix):
    /// fingerprint, repo, revision and commit when known, and <c>sha256.&lt;file&gt;</c> per source file.
    /// The exporter writes them sorted by key. Each of them is part of the cache key; the item's own
    /// spelling of the source (its description) is not written, so the same source exported from
    /// another project or folder gives the same bytes.
    /// </summary>
    public static IReadOnlyDictionary<string, string> SourceInfo(ResolvedSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var info = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["fingerprint"] = source.Fingerprint,
        };
        foreach (var (key, value) in new[] { ("repo", source.Repo), ("revision", source.Revision), ("commit", source.Commit) })
            if (value is not null) info[key] = value;
        foreach (var (file, sha256) in source.Files)
            info["sha256." + file] = sha256;
        return info;
    }
}
