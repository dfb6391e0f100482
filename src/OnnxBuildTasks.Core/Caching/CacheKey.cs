using System.Globalization;
using OnnxBuildTasks.Pipeline;
using OnnxBuildTasks.Sources;

namespace OnnxBuildTasks.Caching;

/// <summary>
/// The content address of a produced model: sha256 over everything that decides its bytes
/// (source fingerprint and kind, the provenance an export records in metadata_props — repo,
/// revision, commit — task, opset, precision, optimize, quantize, engine version).
/// Metadata that does not change the bytes (Name, Validate, Atol, IncludeTokenizer) and where the
/// source sits on disk are left out, so items differing only in those share an entry.
/// </summary>
public static class CacheKey
{
    /// <summary>The key's inputs as name/value pairs, in a fixed order (also stored in the entry for humans).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Inputs(ResolvedSource source, ModelRequest request, string engineVersion) =>
    [
        KeyValuePair.Create("format", "1"),
        KeyValuePair.Create("engine", engineVersion),
        KeyValuePair.Create("kind", source.Kind.ToString()),
        KeyValuePair.Create("source", source.Fingerprint),
        KeyValuePair.Create("repo", source.Repo ?? ""),
        KeyValuePair.Create("revision", source.Revision ?? ""),
        KeyValuePair.Create("commit", source.Commit ?? ""),
        KeyValuePair.Create("task", request.Task ?? ""),
        KeyValuePair.Create("opset", request.Opset?.ToString(CultureInfo.InvariantCulture) ?? ""),
        KeyValuePair.Create("precision", request.Precision.ToString()),
        KeyValuePair.Create("optimize", request.Optimize.ToString()),
        KeyValuePair.Create("quantize", request.Quantize.ToString()),
    ];

    /// <summary>The key: 64 lower-case hex characters.</summary>
    public static string Compute(ResolvedSource source, ModelRequest request, string engineVersion) =>
        ContentFingerprint.Combine(Inputs(source, request, engineVersion));
}
