using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Hub;

/// <summary>
/// What the Hub says about a file in the headers of its <c>resolve</c> answer, read as huggingface_hub
/// reads them: <c>X-Repo-Commit</c>, <c>X-Linked-Etag</c> (LFS files, before the CDN redirect) else
/// <c>ETag</c> (regular files: the git blob sha1), <c>X-Linked-Size</c> else the body's full length.
/// Only answers from the Hub's own host count: a CDN's ETag names something else.
/// </summary>
/// <param name="Commit">X-Repo-Commit.</param>
/// <param name="Etag">Normalised X-Linked-Etag, else ETag.</param>
/// <param name="Size">X-Linked-Size, else the full length of a 200/206 body.</param>
internal sealed record ResolveHeaders(string? Commit, string? Etag, long? Size)
{
    /// <summary>Nothing read yet.</summary>
    public static readonly ResolveHeaders None = new(null, null, null);

    /// <summary>These headers updated with the values <paramref name="response"/> carries (a later hop of the same host wins).</summary>
    public ResolveHeaders With(HttpResponseMessage response)
    {
        var linkedEtag = Header(response, "X-Linked-Etag");
        var etag = linkedEtag ?? response.Headers.ETag?.Tag ?? Header(response, "ETag");
        long? size = long.TryParse(Header(response, "X-Linked-Size"), System.Globalization.CultureInfo.InvariantCulture, out var linked) ? linked
            : (int)response.StatusCode == 206 ? response.Content.Headers.ContentRange?.Length
            : (int)response.StatusCode == 200 ? response.Content.Headers.ContentLength
            : null;
        return new ResolveHeaders(
            Header(response, "X-Repo-Commit") ?? Commit,
            etag is null ? Etag : ExpectedHash.NormalizeEtag(etag),
            size ?? Size);
    }

    /// <summary>
    /// Throws <see cref="ErrorCodes.HubBadResponse"/> when a header contradicts what the listing said:
    /// another commit than <paramref name="commit"/>, another blob than <paramref name="expected"/>, another size.
    /// Headers the answer lacks are not held against it.
    /// </summary>
    public void Check(RemoteFile expected, string commit, HubTarget target)
    {
        string? why = Commit is { } c && !string.Equals(c, commit, StringComparison.OrdinalIgnoreCase)
                ? $"X-Repo-Commit {c} but the file was requested at commit {commit}"
            : Etag is { } e && e != expected.Hash.Hex ? $"etag {e} but the revision listing gives {expected.Hash.Kind} {expected.Hash.Hex}"
            : Size is { } s && s != expected.Size ? $"size {s} but the revision listing gives {expected.Size} bytes"
            : null;
        if (why is not null)
            throw new OnnxBuildException(ErrorCodes.HubBadResponse,
                $"The Hub's answer for {target} contradicts its own file list ({why}); nothing was written to the cache. Check that OnnxHubEndpoint/HF_ENDPOINT points at a Hugging Face Hub and no proxy rewrites it, then try again.");
    }

    /// <summary>The file as these headers describe it, for a listing that gave no hash; throws when they do not say enough.</summary>
    public RemoteFile Describe(string path, string commit, HubTarget target)
    {
        var hash = Etag is null ? null : ExpectedHash.FromEtag(Etag);
        if (hash is null || Size is not { } size)
            throw new OnnxBuildException(ErrorCodes.HubBadResponse,
                $"The Hub listed {target} without a hash and its resolve answer has no usable X-Linked-Etag/ETag ('{Etag}') or size, so the file cannot be verified. Check that OnnxHubEndpoint/HF_ENDPOINT points at a Hugging Face Hub.");
        var file = new RemoteFile(path, size, hash.Value);
        Check(file, commit, target);
        return file;
    }

    private static string? Header(HttpResponseMessage r, string name) =>
        r.Headers.TryGetValues(name, out var v) ? v.FirstOrDefault()
        : r.Content.Headers.TryGetValues(name, out var c) ? c.FirstOrDefault() : null;
}
