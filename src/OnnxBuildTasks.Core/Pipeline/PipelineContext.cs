namespace OnnxBuildTasks.Pipeline;

/// <summary>
/// Settings shared by every item of one engine run: caches, network policy, lock file, logging.
/// The MSBuild properties (OnnxCacheDir, OnnxHubEndpoint, OnnxOffline, OnnxLockFile,
/// OnnxLockedMode) and the CLI options arrive here.
/// </summary>
public sealed class PipelineContext
{
    /// <summary>Root of the exported-model cache (see <see cref="Caching.CacheLocation"/>).</summary>
    public required string CacheDirectory { get; init; }

    /// <summary>Never touch the network; serve everything from the caches.</summary>
    public bool Offline { get; init; }

    /// <summary>Hub base URL, or null for <c>$HF_ENDPOINT</c> / https://huggingface.co.</summary>
    public string? HubEndpoint { get; init; }

    /// <summary>Path of the lock file (onnxmodels.lock.json), or null when no lock file is kept.</summary>
    public string? LockFilePath { get; init; }

    /// <summary>Fail instead of changing the lock file.</summary>
    public bool LockedMode { get; init; }

    /// <summary>Receives progress lines (the engine prints them as ordinary output).</summary>
    public Action<string> Log { get; init; } = _ => { };

    /// <summary>Cancels long stages (downloads, exports).</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>The engine version, part of every cache key.</summary>
    public string EngineVersion { get; init; } = EngineInfo.Version;
}
