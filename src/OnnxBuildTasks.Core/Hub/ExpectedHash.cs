namespace OnnxBuildTasks.Hub;

/// <summary>How a Hub blob is identified: sha256 (LFS files) or git blob sha1 (regular files).</summary>
public enum HashKind
{
    /// <summary>sha256 of the content: LFS files, named by X-Linked-Etag.</summary>
    Sha256,

    /// <summary>sha1 of "blob {size}\0" + content: regular git files, named by ETag.</summary>
    GitSha1,
}

/// <summary>A blob's expected hash; its <see cref="Hex"/> is also the blob's name (etag) in the cache.</summary>
/// <param name="Kind">The hash function.</param>
/// <param name="Hex">Lowercase hex digest.</param>
public readonly record struct ExpectedHash(HashKind Kind, string Hex)
{
    /// <summary>Infers the kind from an etag (64 hex: sha256, 40 hex: git sha1); null for anything else.</summary>
    public static ExpectedHash? FromEtag(string etag)
    {
        var e = NormalizeEtag(etag);
        if (!e.All(Uri.IsHexDigit)) return null;
        return e.Length switch
        {
            64 => new ExpectedHash(HashKind.Sha256, e),
            40 => new ExpectedHash(HashKind.GitSha1, e),
            _ => null,
        };
    }

    /// <summary>Strips a weak marker and quotes, as huggingface_hub normalises ETag headers.</summary>
    public static string NormalizeEtag(string etag)
    {
        var e = etag.Trim();
        if (e.StartsWith("W/", StringComparison.Ordinal)) e = e[2..];
        return e.Trim('"').ToLowerInvariant();
    }
}
