using System.Net;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Hub;

/// <summary>What a Hub request was for, so errors can name it.</summary>
/// <param name="RepoId">The repo.</param>
/// <param name="Revision">The revision asked for.</param>
/// <param name="File">The file, when a file was requested.</param>
public readonly record struct HubTarget(string RepoId, string Revision, string? File = null)
{
    /// <inheritdoc />
    public override string ToString() => File is null ? $"'{RepoId}' at '{Revision}'" : $"'{File}' of '{RepoId}' at '{Revision}'";
}

/// <summary>A failure worth retrying (429, 5xx, timeouts, broken connections).</summary>
internal sealed class TransientHubException(string code, string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public string Code { get; } = code;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>Maps Hub answers (X-Error-Code, then the status) to coded errors that say what to do.</summary>
internal static class HubErrors
{
    // X-Error-Code values the Hub sends, as huggingface_hub reads them.
    private static readonly Dictionary<string, Func<HubTarget, Context, OnnxBuildException>> ByErrorCode = new(StringComparer.Ordinal)
    {
        ["RepoNotFound"] = RepoNotFound,
        ["GatedRepo"] = (t, c) => new(ErrorCodes.HubGatedRepo,
            $"Hugging Face repo '{t.RepoId}' is gated (HTTP {c.Status}). Accept its conditions at {c.Endpoint}{t.RepoId} while logged in, " +
            (c.HasToken ? "then make sure HF_TOKEN belongs to that account: the current token has not been granted access." : "then set HF_TOKEN (or $HF_HOME/token) to a token of that account.")),
        ["RevisionNotFound"] = (t, c) => new(ErrorCodes.HubRevisionNotFound,
            $"Revision '{t.Revision}' does not exist in Hugging Face repo '{t.RepoId}'. Check the Revision metadata: a branch, a tag or a full 40-hex commit."),
        ["EntryNotFound"] = (t, c) => new(ErrorCodes.HubEntryNotFound,
            $"File '{t.File}' does not exist in Hugging Face repo '{t.RepoId}' at revision '{t.Revision}'. Check the File metadata against the repo's files."),
        ["DisabledRepo"] = (t, c) => new(ErrorCodes.HubForbidden,
            $"Hugging Face repo '{t.RepoId}' has been disabled by its owner or the Hub; it cannot be downloaded. Use another repo."),
    };

    internal readonly record struct Context(int Status, Uri Endpoint, bool HasToken);

    /// <summary>Throws the coded (or transient) error a non-success answer means; returns for 2xx/3xx/416.</summary>
    public static void ThrowIfError(HttpResponseMessage response, HubTarget target, HubSettings settings)
    {
        var status = (int)response.StatusCode;
        if (status < 400 || status == 416) return;
        var c = new Context(status, settings.Endpoint, settings.HasToken);
        var code = Header(response, "X-Error-Code");
        if (code is not null && ByErrorCode.TryGetValue(code, out var make)) throw make(target, c);
        switch (response.StatusCode)
        {
            case HttpStatusCode.Unauthorized when settings.HasToken:
                throw new OnnxBuildException(ErrorCodes.HubInvalidToken,
                    $"The Hub rejected the token while fetching {target} (HTTP 401). Create a new access token and update HF_TOKEN or $HF_HOME/token.");
            case HttpStatusCode.Unauthorized:
            case HttpStatusCode.NotFound when target.File is null:
                throw RepoNotFound(target, c);
            case HttpStatusCode.NotFound:
                throw ByErrorCode["EntryNotFound"](target, c);
            case HttpStatusCode.Forbidden:
                throw new OnnxBuildException(ErrorCodes.HubForbidden,
                    $"The Hub refused access to {target} (HTTP 403{Detail(response)}). Check that the token in HF_TOKEN has read permission for this repo.");
            case HttpStatusCode.TooManyRequests:
                throw new TransientHubException(ErrorCodes.HubRateLimited,
                    $"The Hub rate-limited the download of {target} (HTTP 429). Wait and build again, or set HF_TOKEN for higher limits.", RetryAfter(response));
            case HttpStatusCode.RequestTimeout:
            case >= HttpStatusCode.InternalServerError:
                throw new TransientHubException(ErrorCodes.HubServerError,
                    $"The Hub failed while serving {target} (HTTP {status}{Detail(response)}). Try again later.", RetryAfter(response));
            default:
                throw new OnnxBuildException(ErrorCodes.HubBadResponse,
                    $"The Hub answered HTTP {status}{Detail(response)} for {target}; this client does not know what that means.");
        }
    }

    private static OnnxBuildException RepoNotFound(HubTarget t, Context c) => new(ErrorCodes.HubRepoNotFound,
        $"Hugging Face repo '{t.RepoId}' was not found at {c.Endpoint} (HTTP {c.Status}). Check the repo id; if the repo is private, " +
        (c.HasToken ? "the token in HF_TOKEN has no access to it: use a token of an account that can read it." : "set HF_TOKEN (or $HF_HOME/token) to a token with read access."));

    private static string? Header(HttpResponseMessage r, string name) =>
        r.Headers.TryGetValues(name, out var v) ? v.FirstOrDefault() : null;

    private static string Detail(HttpResponseMessage r) => Header(r, "X-Error-Message") is { } m ? ": " + m : "";

    private static TimeSpan? RetryAfter(HttpResponseMessage r) =>
        r.Headers.RetryAfter?.Delta ?? (r.Headers.RetryAfter?.Date is { } d ? d - DateTimeOffset.UtcNow : null);
}
