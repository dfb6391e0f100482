using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Locking;
using OnnxBuildTasks.Pipeline;

namespace OnnxBuildTasks.Sources;

/// <summary>
/// An item <c>nuget:Package.Id/1.2.3</c> with File metadata naming an .onnx file inside the package
/// (its external data beside it), installed into the NuGet global packages folder. Pinned by the lock file.
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
        if (!r.FilePath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            throw new OnnxBuildException(ErrorCodes.SourceFilePathInvalid,
                $"{request.DisplayName}: File '{request.File}' is not an .onnx file; only .onnx files can be taken from a NuGet package.");
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
