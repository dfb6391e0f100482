using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Pipeline;

namespace OnnxBuildTasks.Sources;

/// <summary>An item naming a local <c>.onnx</c> file (with its external data files beside it).</summary>
public sealed class LocalOnnxFileResolver : ISourceResolver
{
    /// <inheritdoc />
    public bool CanResolve(ModelRequest request) =>
        request.File is null
        && !request.ItemSpec.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase)
        && request.ItemSpec.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public ResolvedSource Resolve(ModelRequest request, PipelineContext context)
    {
        var path = request.LocalPath;
        if (!File.Exists(path))
        {
            throw new OnnxBuildException(ErrorCodes.SourceNotFound,
                $"{request.DisplayName}: the file '{path}' does not exist. Fix the Include path (relative to the project folder).");
        }
        var folder = Path.GetDirectoryName(path)!;
        var dataFiles = OnnxExternalData.Locations(path, request.DisplayName).Select(l => Path.Combine(folder, l)).ToList();
        foreach (var data in dataFiles.Where(d => !File.Exists(d)))
        {
            throw new OnnxBuildException(ErrorCodes.SourceNotFound,
                $"{request.DisplayName}: the external data file '{data}' the model refers to does not exist. Put it beside the .onnx file.");
        }
        var parts = new List<KeyValuePair<string, string>> { KeyValuePair.Create("model.onnx", ContentFingerprint.OfFile(path)) };
        parts.AddRange(dataFiles.Select(d => KeyValuePair.Create(Path.GetRelativePath(folder, d).Replace('\\', '/'), ContentFingerprint.OfFile(d))));
        var fingerprint = ContentFingerprint.Combine(parts);
        return new ResolvedSource
        {
            Kind = SourceKind.OnnxFile,
            LocalPath = path,
            Fingerprint = fingerprint,
            Description = $"file:{request.ItemSpec.Replace('\\', '/')} sha256:{fingerprint}",
        };
    }
}
