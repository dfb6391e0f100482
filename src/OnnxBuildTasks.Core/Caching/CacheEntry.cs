using System.Text.Json;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Caching;

/// <summary>
/// A committed cache entry: a folder holding the model file(s) with their external data,
/// <c>entry.json</c> (file list, source, key inputs) and validation reports. Entries are
/// immutable once committed, except that validation reports may be added.
/// </summary>
public sealed class CacheEntry
{
    internal const string ManifestName = "entry.json";

    private CacheEntry(string key, string directory, IReadOnlyList<string> files, double? defaultAtol)
    {
        Key = key;
        Directory = directory;
        Files = files;
        DefaultAtol = defaultAtol;
    }

    /// <summary>The cache key (folder name).</summary>
    public string Key { get; }

    /// <summary>Absolute folder of the entry.</summary>
    public string Directory { get; }

    /// <summary>The model files (.onnx and external data), relative to <see cref="Directory"/>, forward slashes.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The .onnx files among <see cref="Files"/> (the graphs; the rest is external data).</summary>
    public IReadOnlyList<string> ModelFiles => Files.Where(f => f.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>The producer's validation tolerance for this model (e.g. the exporter's per-architecture one), if any.</summary>
    public double? DefaultAtol { get; }

    internal static void WriteManifest(string directory, IReadOnlyList<string> files, string sourceDescription, IReadOnlyList<KeyValuePair<string, string>> keyInputs, double? defaultAtol)
    {
        var manifest = new Manifest(files.ToList(), sourceDescription, keyInputs.ToDictionary(p => p.Key, p => p.Value), defaultAtol);
        File.WriteAllText(Path.Combine(directory, ManifestName), JsonSerializer.Serialize(manifest, ManifestJson.Default.Manifest));
    }

    internal static CacheEntry Open(string key, string directory)
    {
        var manifestPath = Path.Combine(directory, ManifestName);
        Manifest? manifest = null;
        try
        {
            manifest = JsonSerializer.Deserialize(File.ReadAllText(manifestPath), ManifestJson.Default.Manifest);
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
        }
        if (manifest?.Files is not { Count: > 0 } files || files.Any(f => !File.Exists(Path.Combine(directory, f))))
        {
            throw new OnnxBuildException(ErrorCodes.CacheEntryCorrupt,
                $"The model cache entry '{directory}' is incomplete (files missing). Delete that folder and build again.");
        }
        return new CacheEntry(key, directory, files, manifest.DefaultAtol);
    }

    internal sealed record Manifest(List<string> Files, string Source, Dictionary<string, string> Key, double? DefaultAtol);
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(CacheEntry.Manifest))]
internal sealed partial class ManifestJson : System.Text.Json.Serialization.JsonSerializerContext;
