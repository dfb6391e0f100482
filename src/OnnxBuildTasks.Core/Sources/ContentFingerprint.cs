using System.Security.Cryptography;
using System.Text;

namespace OnnxBuildTasks.Sources;

/// <summary>sha256 helpers for source fingerprints and cache keys (lower-case hex).</summary>
public static class ContentFingerprint
{
    /// <summary>sha256 of a file's bytes, streamed (never loads the file whole).</summary>
    public static string OfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>sha256 of UTF-8 text.</summary>
    public static string OfText(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// One hash over named parts (e.g. relative file name and its sha256), independent of the
    /// order they are given in. Names and values must not contain newlines.
    /// </summary>
    public static string Combine(IEnumerable<KeyValuePair<string, string>> parts)
    {
        var lines = parts.Select(p => p.Key + "\t" + p.Value).Order(StringComparer.Ordinal);
        return OfText(string.Join("\n", lines));
    }

    /// <summary>Hashes each file and combines them under their paths relative to <paramref name="root"/>.</summary>
    public static string OfFiles(string root, IEnumerable<string> files) =>
        Combine(files.Select(f => KeyValuePair.Create(Path.GetRelativePath(root, f).Replace('\\', '/'), OfFile(f))));
}
