using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace OnnxBuildTasks.HubServer;

/// <summary>
/// The Hub endpoints huggingface_hub uses: <c>GET /api/models/{repo}/revision/{rev}[?blobs=true]</c>,
/// <c>GET /api/models/{repo}/tree/{rev}[/{path}][?recursive=true]</c> and
/// <c>HEAD|GET /{repo}/resolve/{rev}/{path}</c>, with the Hub's headers and error codes.
/// </summary>
internal sealed class HubEndpoints(LocalHub hub, HttpContext ctx)
{
    public Task Handle(string rawPath)
    {
        var seg = rawPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        if (Renamed(rawPath) is { } moved)
        {
            // A renamed repo: the Hub answers with a relative redirect to the new name.
            ctx.Response.StatusCode = 307;
            ctx.Response.Headers.Location = moved;
            return Task.CompletedTask;
        }
        if (seg.Length >= 4 && seg[0] == "api" && seg[1] == "models")
        {
            var k = Array.FindIndex(seg, 2, s => s is "revision" or "tree");
            if (k is 3 or 4 && k + 1 < seg.Length)
            {
                var repoId = string.Join('/', seg[2..k]);
                var rest = seg[(k + 2)..];
                return seg[k] == "revision" ? Info(repoId, seg[k + 1]) : Tree(repoId, seg[k + 1], string.Join('/', rest));
            }
        }
        var r = Array.IndexOf(seg, "resolve");
        if (r is 1 or 2 && seg.Length > r + 2)
            return Resolve(string.Join('/', seg[..r]), seg[r + 1], string.Join('/', seg[(r + 2)..]));
        return Error(404, null, "Not Found");
    }

    private string? Renamed(string rawPath)
    {
        foreach (var (old, now) in hub.Catalog.Renamed)
        {
            foreach (var prefix in new[] { "/api/models/" + old + "/", "/" + old + "/resolve/" })
                if (rawPath.StartsWith(prefix, StringComparison.Ordinal))
                    return prefix.Replace(old, now, StringComparison.Ordinal) + rawPath[prefix.Length..] + ctx.Request.QueryString;
        }
        return null;
    }

    private string? Token
    {
        get
        {
            var h = ctx.Request.Headers.Authorization.ToString();
            return h.StartsWith("Bearer ", StringComparison.Ordinal) ? h[7..] : null;
        }
    }

    private async Task Info(string repoId, string revision)
    {
        if (await FindCommit(repoId, revision, files: false) is not var (repo, commit)) return;
        var blobs = ctx.Request.Query["blobs"] == "true" && !hub.Faults.ListWithoutHashes;
        var siblings = commit.Files.Values.Select(f => blobs
            ? WithLfs(new() { ["rfilename"] = f.Path, ["blobId"] = f.GitSha1, ["size"] = f.Size }, f, "sha256")
            : new Dictionary<string, object?> { ["rfilename"] = f.Path });
        await Json(new Dictionary<string, object?>
        {
            ["_id"] = repo.Id, ["id"] = repo.Id, ["modelId"] = repo.Id, ["sha"] = commit.Sha,
            ["private"] = repo.Manifest.Private, ["gated"] = repo.Manifest.Gated ? "manual" : false, ["disabled"] = false,
            ["siblings"] = siblings,
        });
    }

    private async Task Tree(string repoId, string revision, string folder)
    {
        if (await FindCommit(repoId, revision, files: false) is not var (_, commit)) return;
        var recursive = ctx.Request.Query["recursive"] is var v && (v == "true" || v == "1" || v == "True");
        var prefix = folder.Length == 0 ? "" : folder.TrimEnd('/') + "/";
        var entries = new List<object>();
        var dirs = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var f in commit.Files.Values.Where(f => f.Path.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var rel = f.Path[prefix.Length..];
            var parts = rel.Split('/');
            for (var i = 1; i < parts.Length && (recursive || i == 1); i++) dirs.Add(prefix + string.Join('/', parts[..i]));
            if (recursive || parts.Length == 1)
                entries.Add(WithLfs(new() { ["type"] = "file", ["oid"] = f.GitSha1, ["size"] = f.Size, ["path"] = f.Path }, f, "oid"));
        }
        if (prefix.Length > 0 && entries.Count == 0 && dirs.Count == 0)
        {
            await Error(404, "EntryNotFound", $"{folder} does not exist on \"{revision}\"");
            return;
        }
        entries.InsertRange(0, dirs.Select(d => new Dictionary<string, object?> { ["type"] = "directory", ["oid"] = new string('0', 40), ["size"] = 0, ["path"] = d }));
        await Json(entries);
    }

    private async Task Resolve(string repoId, string revision, string path)
    {
        if (await FindCommit(repoId, revision, files: true) is not var (_, commit)) return;
        if (!commit.Files.TryGetValue(path, out var file))
        {
            ctx.Response.Headers["X-Repo-Commit"] = commit.Sha;
            await Error(404, "EntryNotFound", "Entry not found");
            return;
        }
        var h = ctx.Response.Headers;
        h["X-Repo-Commit"] = commit.Sha;
        h.ETag = $"\"{file.GitSha1}\"";
        if (file.IsLfs)
        {
            h["X-Linked-Etag"] = $"\"{file.Sha256}\"";
            h["X-Linked-Size"] = file.Size.ToString();
            h.Location = new Uri(hub.CdnEndpoint, $"/lfs/{file.Sha256}?response-content-disposition=attachment").ToString();
            ctx.Response.StatusCode = 302;
        }
        foreach (var (header, value) in hub.Faults.ForgedHeaders(path)) h[header] = value;
        if (file.IsLfs) return;
        await FileResponse.Send(hub, ctx, file);
    }

    /// <summary>Applies the Hub's access rules; writes the error response and returns null when refused.</summary>
    private async Task<(HubRepository, RepoCommit)?> FindCommit(string repoId, string revision, bool files)
    {
        var token = Token;
        if (!hub.Catalog.Repos.TryGetValue(repoId, out var repo) || (repo.Manifest.Private && !repo.Allows(token)))
        {
            // The Hub does not tell "private" from "missing": 401 without a token, 404 with one.
            await Error(token is null ? 401 : 404, "RepoNotFound",
                "Repository not found");
            return null;
        }
        if (files && repo.Manifest.Gated && !repo.Allows(token))
        {
            await Error(token is null ? 401 : 403, "GatedRepo", token is null
                ? $"Access to model {repoId} is restricted. You must be authenticated to access it."
                : $"Access to model {repoId} is restricted and you are not in the authorized list. Visit https://huggingface.co/{repoId} to ask for access.");
            return null;
        }
        var commit = repo.Resolve(revision);
        if (commit is null)
        {
            await Error(404, "RevisionNotFound", $"Invalid rev id: {revision}");
            return null;
        }
        return (repo, commit);
    }

    // The Hub adds "lfs" only for LFS files (the revision API names its hash "sha256", the tree API "oid").
    private static Dictionary<string, object?> WithLfs(Dictionary<string, object?> entry, RepoFile f, string hashKey)
    {
        if (f.IsLfs) entry["lfs"] = new Dictionary<string, object?> { [hashKey] = f.Sha256, ["size"] = f.Size, ["pointerSize"] = RepoFile.Pointer(f.Sha256!, f.Size).Length };
        return entry;
    }

    private static readonly JsonSerializerOptions JsonOptions = new();

    private Task Json(object value)
    {
        ctx.Response.ContentType = "application/json; charset=utf-8";
        return ctx.Response.WriteAsync(JsonSerializer.Serialize(value, JsonOptions));
    }

    private Task Error(int status, string? code, string message)
    {
        ctx.Response.StatusCode = status;
        if (code is not null) ctx.Response.Headers["X-Error-Code"] = code;
        ctx.Response.Headers["X-Error-Message"] = message;
        return Json(new Dictionary<string, string> { ["error"] = message });
    }
}
