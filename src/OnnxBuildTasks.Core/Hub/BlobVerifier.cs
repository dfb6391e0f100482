using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace OnnxBuildTasks.Hub;

/// <summary>
/// Hashes blobs: sha256 for LFS files, git blob sha1 for regular files. Results are remembered for
/// the life of the process per (path, size, last write time), so one build hashes a blob once.
/// </summary>
public static class BlobVerifier
{
    private static readonly ConcurrentDictionary<(string, long, DateTime), (string Sha256, string GitSha1)> Memo = new();

    /// <summary>Incremental hashing of one blob as its bytes arrive (used by the downloader).</summary>
    public sealed class Hasher : IDisposable
    {
        private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly IncrementalHash? _sha1;

        /// <summary>
        /// Starts hashing a blob of <paramref name="size"/> bytes (git's header needs the size first).
        /// Without <paramref name="gitSha1"/> only sha256 is computed (LFS files: half the work on big downloads).
        /// </summary>
        public Hasher(long size, bool gitSha1 = true)
        {
            if (!gitSha1) return;
            _sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
            _sha1.AppendData(Encoding.ASCII.GetBytes($"blob {size}\0"));
        }

        /// <summary>Adds bytes.</summary>
        public void Append(ReadOnlySpan<byte> data)
        {
            _sha256.AppendData(data);
            _sha1?.AppendData(data);
        }

        /// <summary>Returns (sha256, git sha1) as lowercase hex; git sha1 is empty when not asked for.</summary>
        public (string Sha256, string GitSha1) Finish() =>
            (Convert.ToHexStringLower(_sha256.GetHashAndReset()), _sha1 is null ? "" : Convert.ToHexStringLower(_sha1.GetHashAndReset()));

        /// <inheritdoc />
        public void Dispose()
        {
            _sha256.Dispose();
            _sha1?.Dispose();
        }
    }

    /// <summary>Computes (sha256, git sha1) of a file.</summary>
    public static (string Sha256, string GitSha1) Hash(string path)
    {
        var info = Resolve(path);
        var key = (info.FullName, info.Length, info.LastWriteTimeUtc);
        if (Memo.TryGetValue(key, out var known) && known.GitSha1.Length > 0) return known;
        using var hasher = new Hasher(info.Length);
        using (var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
        {
            var buf = new byte[1 << 20];
            int n;
            while ((n = s.Read(buf)) > 0) hasher.Append(buf.AsSpan(0, n));
        }
        var result = hasher.Finish();
        Memo[key] = result;
        return result;
    }

    /// <summary>Remembers hashes computed while downloading, so verifying the finished blob costs nothing.</summary>
    internal static void Remember(string path, (string Sha256, string GitSha1) hashes)
    {
        var info = Resolve(path);
        Memo[(info.FullName, info.Length, info.LastWriteTimeUtc)] = hashes;
    }

    /// <summary>Size of a file, or of the blob a snapshot symlink points at.</summary>
    public static long Length(string path) => Resolve(path).Length;

    // Snapshot entries are symlinks: hash (and key the memo on) the blob they point at.
    private static FileInfo Resolve(string path)
    {
        var info = new FileInfo(path);
        return info.LinkTarget is null ? info : (FileInfo)(info.ResolveLinkTarget(returnFinalTarget: true) ?? info);
    }

    /// <summary>True when the file matches <paramref name="expected"/>.</summary>
    public static bool Matches(string path, ExpectedHash expected) => Matches(Hash(path), expected);

    /// <summary>True when the hashes match <paramref name="expected"/>.</summary>
    public static bool Matches((string Sha256, string GitSha1) hashes, ExpectedHash expected) =>
        (expected.Kind == HashKind.Sha256 ? hashes.Sha256 : hashes.GitSha1) == expected.Hex;

    /// <summary>The file's sha256 (a download's remembered hash counts).</summary>
    public static string Sha256Of(string path)
    {
        var info = Resolve(path);
        return Memo.TryGetValue((info.FullName, info.Length, info.LastWriteTimeUtc), out var known) ? known.Sha256 : Hash(path).Sha256;
    }

    /// <summary>The file's sha256 when it matches <paramref name="expected"/>, else null.</summary>
    public static string? VerifiedSha256(string path, ExpectedHash expected)
    {
        if (expected.Kind == HashKind.Sha256)
        {
            var sha = Sha256Of(path);
            return sha == expected.Hex ? sha : null;
        }
        var hashes = Hash(path);
        return hashes.GitSha1 == expected.Hex ? hashes.Sha256 : null;
    }
}
