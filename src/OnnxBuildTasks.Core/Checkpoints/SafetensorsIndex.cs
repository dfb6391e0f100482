using System.Text.Json;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Checkpoints;

/// <summary>
/// A shard index as transformers writes it (<c>model.safetensors.index.json</c> or
/// <c>pytorch_model.bin.index.json</c>): <c>{"metadata": {...}, "weight_map": {tensor: shard file}}</c>.
/// </summary>
public sealed class SafetensorsIndex
{
    private SafetensorsIndex(string path, IReadOnlyDictionary<string, string> weightMap, IReadOnlyList<string> shards)
    {
        Path = path;
        WeightMap = weightMap;
        Shards = shards;
    }

    /// <summary>The index file's path.</summary>
    public string Path { get; }

    /// <summary>Tensor name to shard file name (relative to the index's folder).</summary>
    public IReadOnlyDictionary<string, string> WeightMap { get; }

    /// <summary>The distinct shard file names, in first-mention order.</summary>
    public IReadOnlyList<string> Shards { get; }

    /// <summary>Reads and validates an index file. Throws <see cref="ErrorCodes.ShardIndexInvalid"/> on any defect.</summary>
    public static SafetensorsIndex Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OnnxBuildException(ErrorCodes.CheckpointFileUnreadable, $"Cannot read shard index '{path}': {e.Message}", e);
        }
        return Parse(bytes, path);
    }

    /// <summary>Parses and validates an index file's bytes; <paramref name="path"/> names it in errors.</summary>
    public static SafetensorsIndex Parse(ReadOnlyMemory<byte> bytes, string path)
    {
        if (!System.Text.Unicode.Utf8.IsValid(bytes.Span)) throw Invalid(path, "it is not valid UTF-8");
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw Invalid(path, "it has no \"weight_map\" object");
            var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
            var shards = new List<string>();
            foreach (var entry in map.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String)
                    throw Invalid(path, $"the shard of '{entry.Name}' is not a file name");
                string shard = entry.Value.GetString()!;
                if (!IsPlainFileName(shard))
                    throw Invalid(path, $"the shard '{shard}' of '{entry.Name}' is not a plain file name in the checkpoint folder");
                if (!weightMap.TryAdd(entry.Name, shard))
                    throw new OnnxBuildException(ErrorCodes.TensorNameDuplicate, $"Shard index '{path}' lists '{entry.Name}' twice. Re-save the checkpoint.");
                if (!shards.Contains(shard, StringComparer.Ordinal)) shards.Add(shard);
            }
            if (shards.Count == 0) throw Invalid(path, "its weight_map is empty");
            return new SafetensorsIndex(path, weightMap, shards);
        }
        catch (JsonException e)
        {
            throw Invalid(path, "it is not valid JSON: " + e.Message);
        }
    }

    private static bool IsPlainFileName(string name) =>
        name.Length > 0 && name != "." && name != ".." && name.IndexOfAny(['/', '\\', ':', '\0']) < 0;

    private static OnnxBuildException Invalid(string path, string what) =>
        new(ErrorCodes.ShardIndexInvalid, $"Shard index '{path}' is invalid: {what}. Re-download or re-save the checkpoint.");
}
