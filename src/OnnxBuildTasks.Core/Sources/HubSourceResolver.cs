using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Hub;
using OnnxBuildTasks.Locking;
using OnnxBuildTasks.Pipeline;

namespace OnnxBuildTasks.Sources;

/// <summary>
/// An item naming a Hugging Face Hub repo (<c>org/name</c> or <c>name</c>, Revision metadata):
/// the checkpoint files an export needs, or with File metadata one .onnx file taken as is (with its
/// external data and, when IncludeTokenizer, the repo's config/tokenizer files). Pinned by the lock file.
/// </summary>
public sealed class HubSourceResolver : ISourceResolver
{
    private readonly Func<PipelineContext, HubSettings> _settings;

    /// <summary>
    /// Creates the resolver; <paramref name="settings"/> replaces reading HF_ENDPOINT, HF_TOKEN, HF_HUB_CACHE...
    /// from the environment (OnnxHubEndpoint and OnnxOffline of the context still win there).
    /// </summary>
    public HubSourceResolver(Func<PipelineContext, HubSettings>? settings = null) =>
        _settings = settings ?? (c => HubSettings.FromEnvironment(c.HubEndpoint, c.Offline));

    /// <inheritdoc />
    public bool CanResolve(ModelRequest request) => HubSource.IsHubRepo(request.ItemSpec, request.ProjectDirectory);

    /// <inheritdoc />
    public ResolvedSource Resolve(ModelRequest request, PipelineContext context)
    {
        var settings = _settings(context);
        var session = LockSession.For(context, context.LockFilePath, context.LockedMode);
        using var client = new HubClient(settings);
        var source = new HubSource(new HubFetcher(client), session);
        var file = request.File is null ? null : HubSource.SafeRelativePath(request.File, request.DisplayName);
        HubFetchResult result;
        try
        {
            result = source.FetchAsync(request.ItemSpec, request.Revision, file, request.DisplayName, null, context.CancellationToken,
                file is null ? null : path => IsCompanion(file, path, request.IncludeTokenizer)).GetAwaiter().GetResult();
        }
        catch (OnnxBuildException e) when (!e.Message.StartsWith(request.DisplayName, StringComparison.Ordinal))
        {
            throw new OnnxBuildException(e.Code, $"{request.DisplayName}: {e.Message}", e);
        }
        var sha = result.Files.ToDictionary(f => f.Path, f => f.Sha256, StringComparer.Ordinal);
        if (file is null)
        {
            var fingerprint = ContentFingerprint.Combine(sha);
            context.Log($"{request.DisplayName}: {request.ItemSpec}@{result.Commit[..12]} ({result.Files.Count} files)");
            return new ResolvedSource
            {
                Kind = SourceKind.Checkpoint,
                LocalPath = result.SnapshotFolder,
                Fingerprint = fingerprint,
                Description = $"hub:{request.ItemSpec}@{result.Commit} sha256:{fingerprint}",
                SideFiles = request.IncludeTokenizer ? CheckpointSideFiles.Present(result.SnapshotFolder) : [],
                Files = sha,
                Repo = result.RepoId,
                Revision = result.Revision,
                Commit = result.Commit,
            };
        }

        var model = result.Files.Single(f => f.Path == file);
        var folder = file.Contains('/') ? file[..file.LastIndexOf('/')] + "/" : "";
        var parts = new List<KeyValuePair<string, string>> { KeyValuePair.Create("model.onnx", model.Sha256) };
        var files = new Dictionary<string, string>(StringComparer.Ordinal) { [file] = model.Sha256 };
        foreach (var data in OnnxExternalData.Locations(model.LocalPath, request.DisplayName))
        {
            if (!sha.TryGetValue(folder + data, out var dataSha))
                throw new OnnxBuildException(ErrorCodes.HubEntryNotFound,
                    $"{request.DisplayName}: '{file}' refers to external data '{data}', which is not in Hugging Face repo '{request.ItemSpec}' beside it (only files named like '{Path.GetFileName(file)}*' are taken).");
            parts.Add(KeyValuePair.Create(data, dataSha));
            files[folder + data] = dataSha;
        }
        var print = ContentFingerprint.Combine(parts);
        context.Log($"{request.DisplayName}: {request.ItemSpec}@{result.Commit[..12]} {file}");
        return new ResolvedSource
        {
            Kind = SourceKind.OnnxFile,
            LocalPath = model.LocalPath,
            Fingerprint = print,
            Description = $"hub:{request.ItemSpec}@{result.Commit}/{file} sha256:{print}",
            SideFiles = request.IncludeTokenizer
                ? [.. result.Files.Where(f => CheckpointSideFiles.CopiedNames.Contains(f.Path)).Select(f => f.LocalPath)]
                : [],
            Files = files,
            Repo = result.RepoId,
            Revision = result.Revision,
            Commit = result.Commit,
        };
    }

    // External data beside the model (model.onnx_data, model.onnx.data, ...) and, when asked, the repo's root config/tokenizer files.
    private static bool IsCompanion(string file, string path, bool includeTokenizer) =>
        (path.StartsWith(file, StringComparison.Ordinal) && path.Length > file.Length && !path.EndsWith(".onnx", StringComparison.Ordinal))
        || (includeTokenizer && CheckpointSideFiles.CopiedNames.Contains(path));
}
