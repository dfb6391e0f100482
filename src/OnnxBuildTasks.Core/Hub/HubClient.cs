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
/// <param name="Files">Files by path; null where the listing gave no hash or size (the resolve headers then say).</param>
public sealed record RepoListing(string RepoId, string Commit, IReadOnlyDictionary<string, RemoteFile?> Files);

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
    internal async Task<HttpResponseMessage> SendAsync(Uri url, long? rangeFrom, HubTarget target, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Get, url, rangeFrom, target, followToOtherHost: true, null, ct)).Response;

    /// <summary>
    /// Like <see cref="SendAsync(Uri, long?, HubTarget, CancellationToken)"/>, and hands the resolve headers of the
    /// Hub-host answers to <paramref name="check"/> once they are complete: before a redirect to another host
    /// is followed, or before the Hub's own answer is returned. A throwing check stops the download there.
    /// </summary>
    internal async Task<HttpResponseMessage> SendResolveAsync(Uri url, long? rangeFrom, HubTarget target, Action<ResolveHeaders> check, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Get, url, rangeFrom, target, followToOtherHost: true, check, ct)).Response;

    /// <summary>
    /// What the Hub's headers say about a file (a HEAD of its resolve URL that follows only same-host
    /// redirects, as huggingface_hub does): used when the revision listing gave no hash.
    /// </summary>
    internal Task<ResolveHeaders> GetResolveHeadersAsync(Uri url, HubTarget target, CancellationToken ct) =>
        WithRetries(target, async () =>
        {
            var (response, headers) = await SendAsync(HttpMethod.Head, url, null, target, followToOtherHost: false, null, ct);
            using (response) HubErrors.ThrowIfError(response, target, Settings);
            return headers;
        }, ct);

    /// <summary>
    /// Reads <paramref name="length"/> bytes of a file at a commit from offset <paramref name="from"/> with a bounded
    /// <c>Range</c> request (the safetensors header of a multi-GB file without downloading it). A server that ignores
    /// Range answers 200: the bytes are then taken from the start of the body and the rest is not read.
    /// </summary>
    public Task<byte[]> ReadRangeAsync(string repoId, string commit, string path, long from, int length, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        var target = new HubTarget(repoId, commit, path);
        var url = ResolveUrl(repoId, commit, path);
        return WithRetries(target, async () =>
        {
            var (response, _) = await SendAsync(HttpMethod.Get, url, from, target, followToOtherHost: true, null, ct, rangeTo: from + length - 1);
            using (response)
            {
                HubErrors.ThrowIfError(response, target, Settings);
                long skip = from;
                if (response.StatusCode == System.Net.HttpStatusCode.PartialContent)
                {
                    if (response.Content.Headers.ContentRange is not { From: { } start } || start != from)
                        throw new OnnxBuildException(ErrorCodes.HubBadResponse,
                            $"The Hub answered a request for bytes {from}-{from + length - 1} of {target} with another range ({response.Content.Headers.ContentRange}).");
                    skip = 0;
                }
                var buffer = new byte[length];
                try
                {
                    await using var body = await response.Content.ReadAsStreamAsync(ct);
                    var sink = new byte[Math.Min(skip, 1 << 16)];
                    while (skip > 0)
                    {
                        int n = await body.ReadAsync(sink.AsMemory(0, (int)Math.Min(skip, sink.Length)), ct);
                        if (n == 0) break;
                        skip -= n;
                    }
                    int read = skip == 0 ? await body.ReadAtLeastAsync(buffer, length, throwOnEndOfStream: false, ct) : 0;
                    if (read < length)
                        throw new OnnxBuildException(ErrorCodes.HubBadResponse,
                            $"{target} ended before byte {from + length} (asked for bytes {from}-{from + length - 1}); the file is shorter than the Hub's listing says.");
                }
                catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !ct.IsCancellationRequested))
                {
                    throw new TransientHubException(ErrorCodes.HubUnreachable, $"Reading {target} was interrupted: {e.Message}.", inner: e);
                }
                return buffer;
            }
        }, ct);
    }

    private async Task<(HttpResponseMessage Response, ResolveHeaders Headers)> SendAsync(
        HttpMethod method, Uri url, long? rangeFrom, HubTarget target, bool followToOtherHost, Action<ResolveHeaders>? check, CancellationToken ct,
        long? rangeTo = null)
    {
        if (Settings.Offline)
            throw new OnnxBuildException(ErrorCodes.HubOfflineMiss,
                $"Offline mode (OnnxOffline / HF_HUB_OFFLINE) and {target} is not in the Hugging Face cache {Settings.CacheDir}. Build once online, or turn offline mode off.");
        var headers = ResolveHeaders.None;
        for (var hop = 0; hop < 10; hop++)
        {
            using var request = new HttpRequestMessage(method, url);
            request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
            request.Headers.AcceptEncoding.ParseAdd("identity");
            if (rangeFrom is > 0 || rangeTo is not null) request.Headers.Range = new RangeHeaderValue(rangeFrom ?? 0, rangeTo);
            var hubHost = SameHost(url, Settings.Endpoint);
            if (Settings.Token is { } token && hubHost)
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
            var next = (int)response.StatusCode is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location
                ? location.IsAbsoluteUri ? location : new Uri(url, location)
                : null;
            if (hubHost)
            {
                headers = headers.With(response);
                if ((next is null || !SameHost(next, Settings.Endpoint)) && (int)response.StatusCode < 400) Checked(response, check, headers);
            }
            if (next is null || (!followToOtherHost && !SameHost(next, Settings.Endpoint))) return (response, headers);
            url = next;
            response.Dispose();
        }
        throw new OnnxBuildException(ErrorCodes.HubBadResponse, $"Too many redirects while fetching {target}.");
    }

    private static void Checked(HttpResponseMessage response, Action<ResolveHeaders>? check, ResolveHeaders headers)
    {
        try
        {
            check?.Invoke(headers);
        }
        catch
        {
            response.Dispose();
            throw;
        }
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
            var files = new Dictionary<string, RemoteFile?>(StringComparer.Ordinal);
            foreach (var s in root.GetProperty("siblings").EnumerateArray())
            {
                var path = s.GetProperty("rfilename").GetString()!;
                var isLfs = s.TryGetProperty("lfs", out var lfs) && lfs.ValueKind == JsonValueKind.Object;
                var (owner, hashKey, kind) = isLfs ? (lfs, "sha256", HashKind.Sha256) : (s, "blobId", HashKind.GitSha1);
                var hex = owner.TryGetProperty(hashKey, out var h) && h.ValueKind == JsonValueKind.String ? h.GetString()!.ToLowerInvariant() : null;
                long? size = owner.TryGetProperty("size", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt64() : null;
                files[path] = hex is not null && size is { } known ? new RemoteFile(path, known, new ExpectedHash(kind, hex)) : null;
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
