namespace OnnxBuildTasks.Diagnostics;

// OBT2000-OBT2199: fetching sources (Hugging Face Hub, NuGet feeds, the download cache).
public static partial class ErrorCodes
{
    /// <summary>The Hub repo does not exist or is private: check the repo id, or set HF_TOKEN to a token that can read it.</summary>
    public const string HubRepoNotFound = "OBT2001";

    /// <summary>The Hub repo is gated: accept its conditions on the Hub page, then set HF_TOKEN to a token of that account.</summary>
    public const string HubGatedRepo = "OBT2002";

    /// <summary>The Hub rejected the token (invalid or expired): create a new token and update HF_TOKEN or $HF_HOME/token.</summary>
    public const string HubInvalidToken = "OBT2003";

    /// <summary>The branch, tag or commit given as Revision does not exist in the Hub repo.</summary>
    public const string HubRevisionNotFound = "OBT2004";

    /// <summary>A file (e.g. the File metadata) does not exist in the Hub repo at the resolved commit.</summary>
    public const string HubEntryNotFound = "OBT2005";

    /// <summary>The Hub kept answering 429 Too Many Requests after retries: wait, or authenticate with HF_TOKEN for higher limits.</summary>
    public const string HubRateLimited = "OBT2006";

    /// <summary>The Hub or its CDN kept failing (5xx) after retries: try again later.</summary>
    public const string HubServerError = "OBT2007";

    /// <summary>The Hub could not be reached or timed out after retries: check the network, proxy and OnnxHubEndpoint/HF_ENDPOINT.</summary>
    public const string HubUnreachable = "OBT2008";

    /// <summary>The Hub refused access (403) for another reason than a gate: check the token's permissions.</summary>
    public const string HubForbidden = "OBT2009";

    /// <summary>A downloaded file did not match its sha256 / git hash even after downloading it again.</summary>
    public const string HubIntegrityFailed = "OBT2010";

    /// <summary>Offline (OnnxOffline / HF_HUB_OFFLINE) and the needed files are not in the cache: build once online or turn offline mode off.</summary>
    public const string HubOfflineMiss = "OBT2011";

    /// <summary>The Hub answered with something this client cannot use (missing or contradictory headers such as X-Repo-Commit / X-Linked-Etag, malformed JSON).</summary>
    public const string HubBadResponse = "OBT2012";

    /// <summary>The Hub repo has no config.json or no supported weights (safetensors or pytorch_model.bin): use File to take an .onnx file instead.</summary>
    public const string HubNoCheckpoint = "OBT2013";

    /// <summary>The Hugging Face cache folder could not be written: check HF_HUB_CACHE / HF_HOME and the disk.</summary>
    public const string HubCacheWriteFailed = "OBT2014";

    /// <summary>The NuGet package (id/version) was not found on any source of the nuget.config chain.</summary>
    public const string NuGetPackageNotFound = "OBT2050";

    /// <summary>The File metadata names no file inside the NuGet package.</summary>
    public const string NuGetFileNotInPackage = "OBT2051";

    /// <summary>A path inside a NuGet package (or the File metadata) leaves the package folder; it is refused.</summary>
    public const string NuGetUnsafePath = "OBT2052";

    /// <summary>A NuGet source failed (unreachable, or 401/403: check packageSourceCredentials or the credential provider).</summary>
    public const string NuGetSourceFailed = "OBT2053";
}
