using System.Text.Json;
using System.Text.Json.Serialization;

namespace OnnxBuildTasks.HubServer;

/// <summary>
/// The <c>repo.json</c> beside a served repository's commit folders. Example:
/// <code>
/// { "private": false, "gated": false, "tokens": ["hf_abc"],
///   "lfs": ["*.safetensors", "*.bin", "*.onnx"],
///   "commits": ["v1", "v2"],                 // folders holding each commit's full tree, oldest first
///   "branches": { "main": "v2", "dev": "v1" }, // branch -> commit folder
///   "tags": { "v1.0": "v1" } }
/// </code>
/// </summary>
public sealed class RepoManifest
{
    /// <summary>Only requests bearing one of <see cref="Tokens"/> see the repo; others get RepoNotFound.</summary>
    [JsonPropertyName("private")] public bool Private { get; set; }

    /// <summary>Files need a token from <see cref="Tokens"/> (the gate was accepted); metadata stays public.</summary>
    [JsonPropertyName("gated")] public bool Gated { get; set; }

    /// <summary>Tokens with read access (private) or an accepted gate (gated).</summary>
    [JsonPropertyName("tokens")] public List<string> Tokens { get; set; } = [];

    /// <summary>File name globs stored in LFS (served by a redirect to the CDN port).</summary>
    [JsonPropertyName("lfs")] public List<string> Lfs { get; set; } = ["*.safetensors", "*.bin", "*.onnx", "*.onnx_data", "*.pt", "*.h5", "*.msgpack"];

    /// <summary>Commit folder names, oldest first.</summary>
    [JsonPropertyName("commits")] public List<string> Commits { get; set; } = [];

    /// <summary>Branch name to commit folder.</summary>
    [JsonPropertyName("branches")] public Dictionary<string, string> Branches { get; set; } = [];

    /// <summary>Tag name to commit folder.</summary>
    [JsonPropertyName("tags")] public Dictionary<string, string> Tags { get; set; } = [];

    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Reads a repo.json file.</summary>
    public static RepoManifest Load(string path) =>
        JsonSerializer.Deserialize<RepoManifest>(File.ReadAllText(path), Json)
        ?? throw new InvalidDataException(path + " is empty");

    /// <summary>Writes this manifest as repo.json into <paramref name="repoDir"/>.</summary>
    public void Save(string repoDir) =>
        File.WriteAllText(Path.Combine(repoDir, "repo.json"), JsonSerializer.Serialize(this, Json));
}
