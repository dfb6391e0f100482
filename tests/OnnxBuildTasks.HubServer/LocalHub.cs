using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OnnxBuildTasks.HubServer;

/// <summary>
/// A local Hugging Face Hub on 127.0.0.1: the Hub API and resolve endpoints on one port, LFS files
/// redirected to a second "CDN" port, gated and private repos, fault injection and request counts.
/// Serves the repositories (folders with a repo.json, see <see cref="RepoManifest"/>) found one or
/// two levels under the root folder. Must be disposed.
/// </summary>
public sealed class LocalHub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _log = new();
    private int _requests;
    private int _cdnRequests;
    private int _cdnAuthorized;
    private long _bytesServed;
    private int _served503;

    private LocalHub(string root, WebApplication app, int port, int cdnPort)
    {
        Root = root;
        _app = app;
        Endpoint = new Uri($"http://127.0.0.1:{port}");
        CdnEndpoint = new Uri($"http://127.0.0.1:{cdnPort}");
        Catalog = RepoCatalog.Load(root);
    }

    /// <summary>The folder the repos are served from.</summary>
    public string Root { get; }

    /// <summary>Base URL of the Hub (what HF_ENDPOINT / OnnxHubEndpoint point at).</summary>
    public Uri Endpoint { get; }

    /// <summary>Base URL of the CDN that LFS downloads are redirected to.</summary>
    public Uri CdnEndpoint { get; }

    /// <summary>Faults injected into the next responses.</summary>
    public FaultPlan Faults { get; } = new();

    /// <summary>Requests answered on both ports since start or <see cref="ResetCounters"/> (admin calls excluded).</summary>
    public int RequestCount => Volatile.Read(ref _requests);

    /// <summary>Requests answered on the CDN port.</summary>
    public int CdnRequestCount => Volatile.Read(ref _cdnRequests);

    /// <summary>CDN requests that carried an Authorization header (a client leaking the Hub token to another host).</summary>
    public int CdnAuthorizationCount => Volatile.Read(ref _cdnAuthorized);

    /// <summary>Injected 503 answers actually sent (see <see cref="FaultPlan.Fail503"/>).</summary>
    public int Served503Count => Volatile.Read(ref _served503);

    /// <summary>File body bytes sent on both ports.</summary>
    public long BytesServed => Interlocked.Read(ref _bytesServed);

    /// <summary>One line per request: "HUB GET /path" or "CDN GET /path", plus " Range: bytes=N-" when asked.</summary>
    public IReadOnlyList<string> RequestLog => [.. _log];

    internal RepoCatalog Catalog { get; private set; }

    /// <summary>Signalled when the host is asked to stop (SIGTERM, or disposal).</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <summary>Starts serving <paramref name="root"/>; ports 0 pick free ones.</summary>
    public static async Task<LocalHub> StartAsync(string root, int port = 0, int cdnPort = 0)
    {
        port = port == 0 ? FreePort() : port;
        cdnPort = cdnPort == 0 ? FreePort() : cdnPort;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, port);
            o.Listen(IPAddress.Loopback, cdnPort);
            o.Limits.MaxResponseBufferSize = 1 << 20;
        });
        var app = builder.Build();
        var hub = new LocalHub(Path.GetFullPath(root), app, port, cdnPort);
        app.Run(ctx => ctx.Connection.LocalPort == cdnPort ? hub.HandleCdn(ctx) : hub.HandleHub(ctx));
        await app.StartAsync();
        return hub;
    }

    /// <summary>Rescans the root folder (after a test added or changed repos).</summary>
    public void Reload() => Catalog = RepoCatalog.Load(Root);

    /// <summary>Zeroes the request counters and the log.</summary>
    public void ResetCounters()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _cdnRequests, 0);
        Interlocked.Exchange(ref _cdnAuthorized, 0);
        Interlocked.Exchange(ref _bytesServed, 0);
        Interlocked.Exchange(ref _served503, 0);
        _log.Clear();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleHub(HttpContext ctx)
    {
        var (path, _) = SplitTarget(ctx);
        if (path.StartsWith("/_admin/", StringComparison.Ordinal))
        {
            await AdminEndpoints.Handle(this, ctx, path);
            return;
        }
        Count(ctx, "HUB", path);
        if (await Refuse503(ctx)) return;
        await new HubEndpoints(this, ctx).Handle(path);
    }

    private async Task HandleCdn(HttpContext ctx)
    {
        var (path, _) = SplitTarget(ctx);
        Count(ctx, "CDN", path);
        Interlocked.Increment(ref _cdnRequests);
        if (await Refuse503(ctx)) return;
        if (ctx.Request.Headers.ContainsKey("Authorization"))
        {
            // Presigned storage URLs refuse a second auth mechanism; this is also how a leaked token shows.
            Interlocked.Increment(ref _cdnAuthorized);
            ctx.Response.StatusCode = 400;
            await ctx.Response.WriteAsync("Only one auth mechanism allowed");
            return;
        }
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 2 && parts[0] == "lfs" && Catalog.LfsObjects.TryGetValue(parts[1], out var file))
        {
            ctx.Response.Headers.ETag = $"\"{file.Sha256}\"";
            await FileResponse.Send(this, ctx, file);
            return;
        }
        ctx.Response.StatusCode = 404;
    }

    private async Task<bool> Refuse503(HttpContext ctx)
    {
        if (!Faults.Take503()) return false;
        Interlocked.Increment(ref _served503);
        ctx.Response.StatusCode = 503;
        ctx.Response.Headers.RetryAfter = "0";
        await ctx.Response.WriteAsync("Service Unavailable (injected)");
        return true;
    }

    private void Count(HttpContext ctx, string port, string path)
    {
        Interlocked.Increment(ref _requests);
        var range = ctx.Request.Headers.Range.ToString();
        _log.Enqueue($"{port} {ctx.Request.Method} {path}" + (range.Length > 0 ? " Range: " + range : ""));
    }

    internal void AddBytes(long n) => Interlocked.Add(ref _bytesServed, n);

    /// <summary>The undecoded path (so %2F inside a revision stays one segment) and query.</summary>
    internal static (string Path, string Query) SplitTarget(HttpContext ctx)
    {
        var raw = ctx.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget;
        var q = raw.IndexOf('?');
        return q < 0 ? (raw, "") : (raw[..q], raw[(q + 1)..]);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}

/// <summary>
/// The repos under a root folder, an index of their LFS objects by sha256, and renamed repos
/// (<c>{root}/redirects.json</c>: <c>{"old-org/old-name": "org/name"}</c>) that answer with a relative 307.
/// </summary>
internal sealed record RepoCatalog(IReadOnlyDictionary<string, HubRepository> Repos, IReadOnlyDictionary<string, RepoFile> LfsObjects,
    IReadOnlyDictionary<string, string> Renamed)
{
    public static RepoCatalog Load(string root)
    {
        var repos = new Dictionary<string, HubRepository>(StringComparer.Ordinal);
        if (Directory.Exists(root))
        {
            foreach (var manifest in Directory.EnumerateFiles(root, "repo.json", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2 }))
            {
                var dir = Path.GetDirectoryName(manifest)!;
                var id = Path.GetRelativePath(root, dir).Replace('\\', '/');
                if (id.Count(c => c == '/') <= 1) repos[id] = HubRepository.Load(id, dir);
            }
        }
        var lfs = new Dictionary<string, RepoFile>(StringComparer.Ordinal);
        foreach (var f in repos.Values.SelectMany(r => r.Commits.Values).SelectMany(c => c.Files.Values).Where(f => f.IsLfs))
            lfs[f.Sha256!] = f;
        var redirects = Path.Combine(root, "redirects.json");
        var renamed = File.Exists(redirects)
            ? System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(redirects)) ?? []
            : [];
        return new RepoCatalog(repos, lfs, renamed);
    }
}
