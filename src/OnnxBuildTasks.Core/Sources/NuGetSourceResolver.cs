using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Locking;
using OnnxBuildTasks.Pipeline;

namespace OnnxBuildTasks.Sources;

/// <summary>
/// An item <c>nuget:Package.Id/1.2.3</c> with File metadata naming an .onnx file inside the package
/// (its external data beside it) or a checkpoint folder (config.json + weights), installed into the
/// NuGet global packages folder. Pinned by the lock file.
/// </summary>
public sealed class NuGetSourceResolver : ISourceResolver
{
    /// <inheritdoc />
    public bool CanResolve(ModelRequest request) => request.ItemSpec.StartsWith(NuGetSource.Prefix, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public ResolvedSource Resolve(ModelRequest request, PipelineContext context)
    {
        var session = LockSession.For(context, context.LockFilePath, context.LockedMode);
        var r = new NuGetSource(session)
            .FetchAsync(request.ItemSpec, request.File, request.ProjectDirectory, context.Offline, request.DisplayName, context.CancellationToken)
            .GetAwaiter().GetResult();
        if (r.IsFolder)
        {
            if (!File.Exists(Path.Combine(r.FilePath, "config.json")))
                throw new OnnxBuildException(ErrorCodes.CheckpointFolderInvalid,
                    $"{request.DisplayName}: folder '{request.File}' of package {r.Id} {r.Version} has no config.json, so it is not a Hugging Face checkpoint. Name an .onnx file or a checkpoint folder.");
            context.Log($"{request.DisplayName}: {r.Id} {r.Version} {request.File}/");
            return new ResolvedSource
            {
                Kind = SourceKind.Checkpoint,
                LocalPath = r.FilePath,
                Fingerprint = r.Sha256,
                Description = $"nuget:{r.Id}/{r.Version}/{request.File}/ sha256:{r.Sha256}",
                SideFiles = request.IncludeTokenizer ? CheckpointSideFiles.Present(r.FilePath) : [],
                Files = r.FolderFiles,
                Repo = NuGetSource.Prefix + r.Id,
                Revision = r.Version,
            };
        }
        if (!r.FilePath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            throw new OnnxBuildException(ErrorCodes.SourceFilePathInvalid,
                $"{request.DisplayName}: File '{request.File}' is neither an .onnx file nor a checkpoint folder of package {r.Id} {r.Version}.");
        var folder = Path.GetDirectoryName(r.FilePath)!;
        var parts = new List<KeyValuePair<string, string>> { KeyValuePair.Create("model.onnx", r.Sha256) };
        foreach (var data in OnnxExternalData.Locations(r.FilePath, request.DisplayName))
        {
            var path = Path.Combine(folder, data);
            if (!File.Exists(path))
                throw new OnnxBuildException(ErrorCodes.NuGetFileNotInPackage,
                    $"{request.DisplayName}: '{request.File}' refers to external data '{data}', which package {r.Id} {r.Version} does not contain beside it.");
            parts.Add(KeyValuePair.Create(data, ContentFingerprint.OfFile(path)));
        }
        var fingerprint = ContentFingerprint.Combine(parts);
        context.Log($"{request.DisplayName}: {r.Id} {r.Version} {request.File}");
        return new ResolvedSource
        {
            Kind = SourceKind.OnnxFile,
            LocalPath = r.FilePath,
            Fingerprint = fingerprint,
            Description = $"nuget:{r.Id}/{r.Version}/{request.File} sha256:{fingerprint}",
        };
    }
}
