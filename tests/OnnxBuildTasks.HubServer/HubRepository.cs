using System.Security.Cryptography;
using System.Text;
using System.IO.Enumeration;

namespace OnnxBuildTasks.HubServer;

/// <summary>One file of one commit, with the hashes the Hub reports for it.</summary>
/// <param name="Path">Path inside the repo, '/' separated.</param>
/// <param name="DiskPath">Where the bytes live on disk.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="GitSha1">Git blob sha1 of the file (of its LFS pointer for LFS files).</param>
/// <param name="Sha256">sha256 of the content, set for LFS files only.</param>
public sealed record RepoFile(string Path, string DiskPath, long Size, string GitSha1, string? Sha256)
{
    /// <summary>True when the file is stored in LFS and served from the CDN.</summary>
    public bool IsLfs => Sha256 is not null;

    /// <summary>The LFS pointer text git stores in place of an LFS file.</summary>
    public static string Pointer(string sha256, long size) =>
        $"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {size}\n";
}

/// <summary>A commit: its 40-hex id and its files.</summary>
public sealed record RepoCommit(string Sha, string Folder, IReadOnlyDictionary<string, RepoFile> Files);

/// <summary>A served repository loaded from a folder with a <see cref="RepoManifest"/>.</summary>
public sealed class HubRepository
{
    private readonly Dictionary<string, RepoCommit> _byFolder = [];
    private readonly Dictionary<string, RepoCommit> _bySha = [];

    private HubRepository(string id, RepoManifest manifest)
    {
        Id = id;
        Manifest = manifest;
    }

    /// <summary>Repo id, e.g. <c>org/name</c>.</summary>
    public string Id { get; }

    /// <summary>The manifest it was loaded from.</summary>
    public RepoManifest Manifest { get; }

    /// <summary>All commits by sha.</summary>
    public IReadOnlyDictionary<string, RepoCommit> Commits => _bySha;

    /// <summary>Loads <paramref name="dir"/> (holding repo.json) as repo <paramref name="id"/>, hashing every file.</summary>
    public static HubRepository Load(string id, string dir)
    {
        var repo = new HubRepository(id, RepoManifest.Load(Path.Combine(dir, "repo.json")));
        foreach (var folder in repo.Manifest.Commits)
        {
            var root = Path.Combine(dir, folder);
            var files = new SortedDictionary<string, RepoFile>(StringComparer.Ordinal);
            foreach (var disk in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                var rel = Path.GetRelativePath(root, disk).Replace('\\', '/');
                files[rel] = Describe(rel, disk, repo.IsLfs(rel));
            }
            var sha = CommitSha(folder, files.Values);
            var commit = new RepoCommit(sha, folder, files);
            repo._byFolder[folder] = commit;
            repo._bySha[sha] = commit;
        }
        return repo;
    }

    /// <summary>Resolves a branch, tag or full commit sha; null when it names nothing.</summary>
    public RepoCommit? Resolve(string revision)
    {
        if (Manifest.Branches.TryGetValue(revision, out var f) || Manifest.Tags.TryGetValue(revision, out f))
            return _byFolder.GetValueOrDefault(f);
        return _bySha.GetValueOrDefault(revision);
    }

    /// <summary>True when <paramref name="token"/> may read the repo's files.</summary>
    public bool Allows(string? token) => token is not null && Manifest.Tokens.Contains(token);

    private bool IsLfs(string rel)
    {
        var name = rel[(rel.LastIndexOf('/') + 1)..];
        return Manifest.Lfs.Any(g => FileSystemName.MatchesSimpleExpression(g, name));
    }

    private static RepoFile Describe(string rel, string disk, bool lfs)
    {
        var size = new FileInfo(disk).Length;
        if (!lfs)
            return new RepoFile(rel, disk, size, GitBlobSha1(disk, size), null);
        using var s = File.OpenRead(disk);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(s));
        var pointer = Encoding.UTF8.GetBytes(RepoFile.Pointer(sha256, size));
        return new RepoFile(rel, disk, size, GitBlobSha1(pointer), sha256);
    }

    /// <summary>Git's blob id: sha1 of "blob {size}\0" followed by the content.</summary>
    public static string GitBlobSha1(string path, long size)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        h.AppendData(Encoding.ASCII.GetBytes($"blob {size}\0"));
        using var s = File.OpenRead(path);
        var buf = new byte[1 << 16];
        int n;
        while ((n = s.Read(buf)) > 0) h.AppendData(buf, 0, n);
        return Convert.ToHexStringLower(h.GetHashAndReset());
    }

    private static string GitBlobSha1(byte[] content)
    {
        var header = Encoding.ASCII.GetBytes($"blob {content.Length}\0");
        return Convert.ToHexStringLower(SHA1.HashData([.. header, .. content]));
    }

    // A stable stand-in for a git commit id: the same folder with the same files always gets the same sha.
    private static string CommitSha(string folder, IEnumerable<RepoFile> files)
    {
        var sb = new StringBuilder("commit ").Append(folder).Append('\n');
        foreach (var f in files) sb.Append(f.Path).Append(' ').Append(f.Sha256 ?? f.GitSha1).Append('\n');
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}
