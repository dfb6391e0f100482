namespace OnnxBuildTasks.Sources;

/// <summary>
/// The files of a Hugging Face checkpoint that are copied beside the exported model (config and
/// tokenizer/preprocessor files), and the ones whose bytes decide the export (config and weights).
/// </summary>
public static class CheckpointSideFiles
{
    /// <summary>Copied beside model.onnx when IncludeTokenizer is true (when present).</summary>
    public static IReadOnlyList<string> CopiedNames { get; } =
    [
        "config.json", "generation_config.json", "preprocessor_config.json",
        "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
        "vocab.txt", "vocab.json", "merges.txt", "spiece.model", "sentencepiece.bpe.model", "tokenizer.model",
    ];

    /// <summary>File name patterns whose bytes decide an export (config.json and every weight format).</summary>
    public static IReadOnlyList<string> ExportInputPatterns { get; } =
    [
        "config.json", "*.safetensors", "model.safetensors.index.json", "pytorch_model*.bin", "pytorch_model.bin.index.json",
    ];

    /// <summary>The side files present in <paramref name="folder"/>, absolute paths.</summary>
    public static IReadOnlyList<string> Present(string folder) =>
        CopiedNames.Select(n => Path.Combine(folder, n)).Where(File.Exists).ToList();

    /// <summary>The export-deciding files present in <paramref name="folder"/>, absolute, sorted.</summary>
    public static IReadOnlyList<string> ExportInputs(string folder) =>
        ExportInputPatterns.SelectMany(p => Directory.EnumerateFiles(folder, p, SearchOption.TopDirectoryOnly))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
