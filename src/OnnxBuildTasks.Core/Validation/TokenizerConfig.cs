using System.Text.Json;

namespace OnnxBuildTasks.Validation;

/// <summary>
/// What a checkpoint's tokenizer_config.json and special_tokens_map.json say: the tokenizer class, its
/// special tokens (plain strings or AddedToken objects with "content") and boolean options.
/// </summary>
internal sealed class TokenizerConfig
{
    private readonly Dictionary<string, JsonElement> _values = new(StringComparer.Ordinal);

    /// <summary>The tokenizer class without a "Fast" suffix (e.g. BertTokenizer), or null.</summary>
    public string? TokenizerClass { get; private set; }

    /// <summary>Reads the folder's tokenizer_config.json, then special_tokens_map.json over it; null when there is no tokenizer_config.json.</summary>
    /// <exception cref="JsonException">A file is not a json object.</exception>
    public static TokenizerConfig? Read(string folder)
    {
        var path = Path.Combine(folder, "tokenizer_config.json");
        if (!File.Exists(path)) return null;
        var config = new TokenizerConfig();
        config.Merge(path);
        var special = Path.Combine(folder, "special_tokens_map.json");
        if (File.Exists(special)) config.Merge(special);
        var cls = config.Token("tokenizer_class");
        config.TokenizerClass = cls is not null && cls.EndsWith("Fast", StringComparison.Ordinal) ? cls[..^4] : cls;
        return config;
    }

    /// <summary>A special token's text (e.g. "cls_token"), or null when absent.</summary>
    public string? Token(string key) =>
        !_values.TryGetValue(key, out var value) ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : value.ValueKind == JsonValueKind.Object && value.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String ? content.GetString()
        : null;

    /// <summary>A boolean option, or null when absent or not a boolean (e.g. strip_accents: null).</summary>
    public bool? Flag(string key) =>
        _values.TryGetValue(key, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    private void Merge(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new JsonException($"{Path.GetFileName(path)} is not a json object");
        foreach (var property in document.RootElement.EnumerateObject())
            _values[property.Name] = property.Value.Clone();
    }
}
