using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Hub;

/// <summary>A file of a repo at a commit as the Hub lists it.</summary>
/// <param name="Path">Path in the repo.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Hash">sha256 for LFS files, git blob sha1 otherwise; also the blob's etag.</param>
public sealed record RemoteFile(string Path, long Size, ExpectedHash Hash);

/// <summary>A revision resolved to a commit, with the commit's files.</summary>
/// <param name="RepoId">The repo.</param>
/// <param name="Commit">40-hex commit sha.</param>
/// <param name="Files">Files by path.</param>
public sealed record RepoListing(string RepoId, string Commit, IReadOnlyDictionary<string, RemoteFile> Files);

/// <summary>
/// Talks to the Hub as huggingface_hub does: <c>GET api/models/{repo}/revision/{rev}?blobs=true</c> to
/// resolve a revision and list files with hashes, <c>GET {repo}/resolve/{commit}/{file}</c> to download.
/// Redirects are followed here, and the Authorization header goes only to the endpoint's own host.
/// Transient failures are retried with backoff. Must be disposed.
/// </summary>
public sealed class HubClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _userAgent = $"onnxbuildtasks/{typeof(HubClient).Assembly.GetName().Version?.ToString(3)}";

    /// <summary>Creates a client; <paramref name="handler"/> replaces the default socket handler (tests).</summary>
    public HubClient(HubSettings settings, RetryPolicy? retry = null, HttpMessageHandler? handler = null)
    {
        Settings = settings;
        Retry = retry ?? new RetryPolicy();
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = 16,
        })
        { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Endpoint, token, offline mode, cache folder.</summary>
    public HubSettings Settings { get; }

    /// <summary>Retry behaviour.</summary>
    public RetryPolicy Retry { get; }

    /// <summary>Resolves <paramref name="revision"/> to a commit and lists its files with sizes and hashes.</summary>
    public Task<RepoListing> GetRevisionAsync(string repoId, string revision, CancellationToken ct = default)
    {
        var target = new HubTarget(repoId, revision);
        var url = new Uri(Settings.Endpoint, $"api/models/{repoId}/revision/{Uri.EscapeDataString(revision)}?blobs=true");
        return WithRetries(target, async () =>
        {
            using var response = await SendAsync(url, null, target, ct);
            HubErrors.ThrowIfError(response, target, Settings);
            var body = await response.Content.ReadAsStringAsync(ct);
            return ParseListing(repoId, body, target);
        }, ct);
    }

    /// <summary>The download URL of a file at a commit.</summary>
    public Uri ResolveUrl(string repoId, string commit, string path) =>
        new(Settings.Endpoint, $"{repoId}/resolve/{commit}/{string.Join('/', path.Split('/').Select(Uri.EscapeDataString))}");

    /// <summary>
    /// Sends a GET (with <c>Range: bytes=from-</c> when <paramref name="rangeFrom"/> is set) and follows
    /// redirects, dropping Authorization when one leads to another host. The caller disposes the response.
    /// </summary>
    internal async Task<HttpResponseMessage> SendAsync(Uri url, long? rangeFrom, HubTarget target, CancellationToken ct)
    {
        if (Settings.Offline)
            throw new OnnxBuildException(ErrorCodes.HubOfflineMiss,
                $"Offline mode (OnnxOffline / HF_HUB_OFFLINE) and {target} is not in the Hugging Face cache {Settings.CacheDir}. Build once online, or turn offline mode off.");
        for (var hop = 0; hop < 10; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
            request.Headers.AcceptEncoding.ParseAdd("identity");
            if (rangeFrom is > 0) request.Headers.Range = new RangeHeaderValue(rangeFrom, null);
            if (Settings.Token is { } token && SameHost(url, Settings.Endpoint))
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                throw new TransientHubException(ErrorCodes.HubUnreachable,
                    $"Could not reach {url.GetLeftPart(UriPartial.Authority)} for {target}: {e.Message}. Check the network, proxy and OnnxHubEndpoint/HF_ENDPOINT.", inner: e);
            }
            if ((int)response.StatusCode is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
            {
                url = location.IsAbsoluteUri ? location : new Uri(url, location);
                response.Dispose();
                continue;
            }
            return response;
        }
        throw new OnnxBuildException(ErrorCodes.HubBadResponse, $"Too many redirects while fetching {target}.");
    }

    /// <summary>Runs <paramref name="action"/>, retrying transient failures with backoff.</summary>
    internal async Task<T> WithRetries<T>(HubTarget target, Func<Task<T>> action, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action();
            }
            catch (TransientHubException e) when (attempt < Retry.MaxAttempts)
            {
                await Task.Delay(Retry.DelayAfter(attempt, e.RetryAfter), ct);
            }
            catch (TransientHubException e)
            {
                throw new OnnxBuildException(e.Code, e.Message + $" (gave up after {attempt} attempts)", e.InnerException);
            }
        }
    }

    private static bool SameHost(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private static RepoListing ParseListing(string repoId, string body, HubTarget target)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            var sha = root.GetProperty("sha").GetString();
            if (sha is null || !RepoId.IsCommit(sha)) throw new FormatException("no commit sha");
            var files = new Dictionary<string, RemoteFile>(StringComparer.Ordinal);
            foreach (var s in root.GetProperty("siblings").EnumerateArray())
            {
                var path = s.GetProperty("rfilename").GetString()!;
                var hash = s.TryGetProperty("lfs", out var lfs) && lfs.ValueKind == JsonValueKind.Object
                    ? new ExpectedHash(HashKind.Sha256, lfs.GetProperty("sha256").GetString()!)
                    : new ExpectedHash(HashKind.GitSha1, s.GetProperty("blobId").GetString()!);
                var size = lfs.ValueKind == JsonValueKind.Object ? lfs.GetProperty("size").GetInt64() : s.GetProperty("size").GetInt64();
                files[path] = new RemoteFile(path, size, hash);
            }
            return new RepoListing(repoId, sha, files);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new OnnxBuildException(ErrorCodes.HubBadResponse,
                $"The Hub's answer listing {target} is not the expected JSON ({e.Message}). Check that OnnxHubEndpoint/HF_ENDPOINT points at a Hugging Face Hub.", e);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
