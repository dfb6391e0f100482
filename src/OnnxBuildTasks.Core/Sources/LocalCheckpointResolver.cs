using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Pipeline;

namespace OnnxBuildTasks.Sources;

/// <summary>An item naming a local Hugging Face checkpoint folder (config.json + weights).</summary>
public sealed class LocalCheckpointResolver : ISourceResolver
{
    /// <inheritdoc />
    public bool CanResolve(ModelRequest request) =>
        request.File is null
        && !request.ItemSpec.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase)
        && (request.ItemSpec.EndsWith('/') || request.ItemSpec.EndsWith('\\') || Directory.Exists(request.LocalPath));

    /// <inheritdoc />
    public ResolvedSource Resolve(ModelRequest request, PipelineContext context)
    {
        var folder = Path.TrimEndingDirectorySeparator(request.LocalPath);
        if (!Directory.Exists(folder))
        {
            throw new OnnxBuildException(ErrorCodes.SourceNotFound,
                $"{request.DisplayName}: the checkpoint folder '{folder}' does not exist. Fix the Include path (relative to the project folder).");
        }
        if (!File.Exists(Path.Combine(folder, "config.json")))
        {
            throw new OnnxBuildException(ErrorCodes.CheckpointFolderInvalid,
                $"{request.DisplayName}: '{folder}' has no config.json, so it is not a Hugging Face checkpoint. Save it with save_pretrained, or name an .onnx file instead.");
        }
        // Each export-deciding file is hashed once: the hashes make the fingerprint and travel to the model's metadata.
        var files = CheckpointSideFiles.ExportInputs(folder).ToDictionary(
            f => Path.GetRelativePath(folder, f).Replace('\\', '/'), ContentFingerprint.OfFile, StringComparer.Ordinal);
        var fingerprint = ContentFingerprint.Combine(files);
        return new ResolvedSource
        {
            Kind = SourceKind.Checkpoint,
            LocalPath = folder,
            Fingerprint = fingerprint,
            Description = $"folder:{request.ItemSpec.Replace('\\', '/')} sha256:{fingerprint}",
            SideFiles = request.IncludeTokenizer ? CheckpointSideFiles.Present(folder) : [],
            Files = files,
        };
    }
}
