using System.Text.Json;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Hub;

/// <summary>
/// Which files of a repo an export needs: config.json, ONE weights format (safetensors, else
/// pytorch_model.bin; single file or sharded index), and the tokenizer / preprocessor files.
/// TF, Flax, ONNX, Rust and other duplicates of the weights are never fetched.
/// </summary>
public static class CheckpointFiles
{
    /// <summary>The file every checkpoint has.</summary>
    public const string Config = "config.json";

    // Weight formats in order of preference: (single file, sharded index).
    private static readonly (string Single, string Index)[] WeightFormats =
    [
        ("model.safetensors", "model.safetensors.index.json"),
        ("pytorch_model.bin", "pytorch_model.bin.index.json"),
    ];

    // Tokenizer, preprocessor and generation files taken when the repo has them.
    private static readonly string[] Companions =
    [
        "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
        "vocab.txt", "vocab.json", "merges.txt", "spiece.model", "sentencepiece.bpe.model", "tokenizer.model",
        "source.spm", "target.spm", "preprocessor_config.json", "generation_config.json",
    ];

    /// <summary>
    /// Picks the files of <paramref name="available"/> an export needs. When the weights are sharded the
    /// result names the index in <see cref="Selection.Index"/>; its shards come from <see cref="ShardsOf"/>.
    /// Null when there is no config.json or no supported weights.
    /// </summary>
    public static Selection? Select(IReadOnlyCollection<string> available)
    {
        var set = available as ISet<string> ?? available.ToHashSet(StringComparer.Ordinal);
        if (!set.Contains(Config)) return null;
        foreach (var (single, index) in WeightFormats)
        {
            var weights = set.Contains(single) ? single : set.Contains(index) ? index : null;
            if (weights is null) continue;
            List<string> files = [Config, weights, .. Companions.Where(set.Contains)];
            return new Selection(files, weights == index ? index : null);
        }
        return null;
    }

    /// <summary>The shard files a sharded index (model.safetensors.index.json) names in its weight_map.</summary>
    public static IReadOnlyList<string> ShardsOf(string indexPath, string indexName)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(indexPath));
            var shards = doc.RootElement.GetProperty("weight_map").EnumerateObject()
                .Select(p => p.Value.GetString() ?? "").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            foreach (var s in shards)
                if (s.Length == 0 || s.Contains('/') || s.Contains('\\') || s.StartsWith('.'))
                    throw new FormatException($"shard name '{s}' is not a plain file name");
            return shards;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new OnnxBuildException(ErrorCodes.HubNoCheckpoint,
                $"The sharded weights index {indexName} is malformed ({e.Message}); the checkpoint cannot be fetched. Use File to take an .onnx file instead.", e);
        }
    }

    /// <summary>The files chosen, and the sharded index among them (if any) whose shards must follow.</summary>
    /// <param name="Files">config.json, weights (or index), companions.</param>
    /// <param name="Index">The index file name when the weights are sharded.</param>
    public sealed record Selection(IReadOnlyList<string> Files, string? Index);
}
