using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OnnxBuildTasks.Tests.Sources;

/// <summary>
/// A NuGet v3 feed on 127.0.0.1 needing Basic credentials: service index plus flat container
/// (PackageBaseAddress/3.0.0), which is all NuGet.Protocol needs to find and download a package.
/// </summary>
internal sealed class LocalNuGetFeed : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<(string Id, string Version), byte[]> _packages;
    private int _unauthorized;

    private LocalNuGetFeed(WebApplication app, int port, string user, string password, Dictionary<(string, string), byte[]> packages)
    {
        _app = app;
        _packages = packages;
        ServiceIndex = $"http://127.0.0.1:{port}/v3/index.json";
        ExpectedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
    }

    public string ServiceIndex { get; }

    public int UnauthorizedCount => _unauthorized;

    private string ExpectedAuthorization { get; }

    public static async Task<LocalNuGetFeed> StartAsync(string user, string password, params (string Id, string Version, byte[] Nupkg)[] packages)
    {
        int port;
        using (var l = new TcpListener(IPAddress.Loopback, 0)) { l.Start(); port = ((IPEndPoint)l.LocalEndpoint).Port; }
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var feed = new LocalNuGetFeed(app, port, user, password,
            packages.ToDictionary(p => (p.Id.ToLowerInvariant(), p.Version), p => p.Nupkg));
        app.Run(feed.Handle);
        await app.StartAsync();
        return feed;
    }

    /// <summary>A minimal .nupkg: the nuspec plus <paramref name="files"/>.</summary>
    public static byte[] Nupkg(string id, string version, IReadOnlyDictionary<string, byte[]> files)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            var nuspec = $"""<?xml version="1.0" encoding="utf-8"?><package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"><metadata><id>{id}</id><version>{version}</version><authors>tests</authors><description>test models</description></metadata></package>""";
            Write(zip, id + ".nuspec", Encoding.UTF8.GetBytes(nuspec));
            foreach (var (path, bytes) in files) Write(zip, path, bytes);
        }
        return ms.ToArray();
    }

    private static void Write(ZipArchive zip, string name, byte[] bytes)
    {
        using var s = zip.CreateEntry(name).Open();
        s.Write(bytes);
    }

    private async Task Handle(HttpContext ctx)
    {
        if (ctx.Request.Headers.Authorization.ToString() != ExpectedAuthorization)
        {
            Interlocked.Increment(ref _unauthorized);
            ctx.Response.StatusCode = 401;
            ctx.Response.Headers.WWWAuthenticate = "Basic realm=\"test feed\"";
            return;
        }
        var path = ctx.Request.Path.Value!.ToLowerInvariant();
        var seg = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (path == "/v3/index.json")
        {
            var flat = ServiceIndex.Replace("v3/index.json", "flat/");
            await Json(ctx, $$"""{"version":"3.0.0","resources":[{"@id":"{{flat}}","@type":"PackageBaseAddress/3.0.0"}]}""");
        }
        else if (seg is ["flat", var id, "index.json"])
        {
            var versions = _packages.Keys.Where(k => k.Id == id).Select(k => "\"" + k.Version + "\"");
            if (!versions.Any()) { ctx.Response.StatusCode = 404; return; }
            await Json(ctx, $$"""{"versions":[{{string.Join(",", versions)}}]}""");
        }
        else if (seg is ["flat", var pid, var ver, _] && _packages.TryGetValue((pid, ver), out var nupkg))
        {
            ctx.Response.ContentType = "application/octet-stream";
            await ctx.Response.Body.WriteAsync(nupkg);
        }
        else ctx.Response.StatusCode = 404;
    }

    private static Task Json(HttpContext ctx, string body)
    {
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
