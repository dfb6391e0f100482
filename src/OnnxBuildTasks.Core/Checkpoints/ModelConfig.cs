using System.Text.Json;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Checkpoints;

/// <summary>
/// A Hugging Face config.json with typed access. Each typed property tries the field names real
/// configs use (<c>hidden_size</c>/<c>n_embd</c>/<c>d_model</c>/...) and falls back to the default
/// transformers applies for the model type. Missing or mistyped required fields raise
/// <see cref="ErrorCodes.ConfigFieldInvalid"/> naming the field and the file.
/// </summary>
public sealed class ModelConfig
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    // For configs without label2id (most base models).
    private static readonly IReadOnlyDictionary<string, int> NoLabel2Id = System.Collections.ObjectModel.ReadOnlyDictionary<string, int>.Empty;

    private ModelConfig(string origin, JsonElement raw, string modelType, IReadOnlyList<string> architectures,
        IReadOnlyDictionary<int, string> id2Label, IReadOnlyDictionary<string, int> label2Id)
    {
        Origin = origin;
        Raw = raw;
        ModelType = modelType;
        Architectures = architectures;
        Id2Label = id2Label;
        Label2Id = label2Id;
    }

    /// <summary>Where the config came from (a path), used in error messages.</summary>
    public string Origin { get; }

    /// <summary>The whole config as JSON (a detached clone).</summary>
    public JsonElement Raw { get; }

    /// <summary><c>model_type</c> (e.g. <c>bert</c>, <c>gpt2</c>, <c>gpt_neo</c>, <c>xlm-roberta</c>); empty when absent.</summary>
    public string ModelType { get; }

    /// <summary><c>architectures</c> (model class names such as <c>BertForMaskedLM</c>); empty when absent.</summary>
    public IReadOnlyList<string> Architectures { get; }

    /// <summary><c>id2label</c> with integer keys; empty when absent.</summary>
    public IReadOnlyDictionary<int, string> Id2Label { get; }

    /// <summary><c>label2id</c>; empty when absent.</summary>
    public IReadOnlyDictionary<string, int> Label2Id { get; }

    /// <summary>Reads <paramref name="configJsonPath"/>. Throws <see cref="ErrorCodes.ConfigMissing"/> or <see cref="ErrorCodes.ConfigInvalid"/>.</summary>
    public static ModelConfig Load(string configJsonPath)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(configJsonPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new OnnxBuildException(ErrorCodes.ConfigMissing,
                $"'{configJsonPath}' does not exist. A checkpoint folder needs the config.json that save_pretrained writes beside the weights.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OnnxBuildException(ErrorCodes.CheckpointFileUnreadable, $"Cannot read '{configJsonPath}': {e.Message}", e);
        }
        // UTF-8 (what save_pretrained writes; a UTF-8 byte-order mark is skipped) is parsed as it is. Anything
        // else (UTF-16/32 with a byte-order mark, invalid bytes) is decoded as File.ReadAllText decodes it.
        var utf8 = bytes.AsMemory();
        if (utf8.Span.StartsWith("\uFEFF"u8)) utf8 = utf8[3..];
        if (System.Text.Unicode.Utf8.IsValid(utf8.Span))
            return FromDocument(() => JsonDocument.Parse(utf8, DocumentOptions), configJsonPath);
        using var text = new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Parse(text.ReadToEnd(), configJsonPath);
    }

    /// <summary>Parses config.json text; <paramref name="origin"/> names it in errors.</summary>
    public static ModelConfig Parse(string json, string origin)
    {
        ArgumentNullException.ThrowIfNull(json);
        return FromDocument(() => JsonDocument.Parse(json, DocumentOptions), origin);
    }

    private static ModelConfig FromDocument(Func<JsonDocument> parse, string origin)
    {
        JsonElement root;
        try
        {
            using var doc = parse();
            root = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new OnnxBuildException(ErrorCodes.ConfigInvalid, $"'{origin}' is not valid JSON: {e.Message}", e);
        }
        if (root.ValueKind != JsonValueKind.Object)
            throw new OnnxBuildException(ErrorCodes.ConfigInvalid, $"'{origin}' must hold a JSON object, not {root.ValueKind}.");

        string modelType = ReadString(root, origin, "model_type") ?? "";
        var architectures = new List<string>();
        if (TryGet(root, "architectures", out var arch))
        {
            if (arch.ValueKind != JsonValueKind.Array) throw FieldError(origin, "architectures", "must be an array of class names");
            foreach (var a in arch.EnumerateArray())
            {
                if (a.ValueKind != JsonValueKind.String) throw FieldError(origin, "architectures", "must be an array of class names");
                architectures.Add(a.GetString()!);
            }
        }
        var id2Label = LabelTable.Empty;
        if (TryGet(root, "id2label", out var id2))
        {
            if (id2.ValueKind != JsonValueKind.Object) throw FieldError(origin, "id2label", "must be an object of id -> label");
            var table = new LabelTable(id2.GetPropertyCount());
            foreach (var p in id2.EnumerateObject())
            {
                if (!int.TryParse(p.Name, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int id)
                    || p.Value.ValueKind != JsonValueKind.String)
                    throw FieldError(origin, "id2label", $"entry '{p.Name}' must map an integer id to a label string");
                table.Set(id, p.Value.GetString()!);
            }
            id2Label = table;
        }
        var label2Id = NoLabel2Id;
        if (TryGet(root, "label2id", out var l2))
        {
            if (l2.ValueKind != JsonValueKind.Object) throw FieldError(origin, "label2id", "must be an object of label -> id");
            var labels = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var p in l2.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt32(out int id))
                    throw FieldError(origin, "label2id", $"entry '{p.Name}' must map to an integer id");
                labels[p.Name] = id;
            }
            label2Id = labels.AsReadOnly();
        }
        return new ModelConfig(origin, root, modelType, architectures.AsReadOnly(), id2Label, label2Id);
    }

    /// <summary>A required integer field under <paramref name="name"/> or the first present alias.</summary>
    public int GetInt(string name, params string[] aliases) =>
        TryGetInt(name, aliases, out int value) ? value : throw Missing(name, aliases, "an integer");

    /// <summary>An integer field, or <paramref name="defaultValue"/> when absent (or null) under every name.</summary>
    public int GetInt(string name, int defaultValue, params string[] aliases) =>
        TryGetInt(name, aliases, out int value) ? value : defaultValue;

    /// <summary>A required number field under <paramref name="name"/> or the first present alias.</summary>
    public double GetDouble(string name, params string[] aliases) =>
        TryGetDouble(name, aliases, out double value) ? value : throw Missing(name, aliases, "a number");

    /// <summary>A number field, or <paramref name="defaultValue"/> when absent (or null).</summary>
    public double GetDouble(string name, double defaultValue, params string[] aliases) =>
        TryGetDouble(name, aliases, out double value) ? value : defaultValue;

    /// <summary>A string field under <paramref name="name"/> or the first present alias; null when absent.</summary>
    public string? GetString(string name, params string[] aliases)
    {
        if (!TryFind(name, aliases, out var element, out string found)) return null;
        return element.ValueKind == JsonValueKind.String ? element.GetString() : throw FieldError(Origin, found, "must be a string");
    }

    /// <summary>A boolean field, or <paramref name="defaultValue"/> when absent (or null).</summary>
    public bool GetBool(string name, bool defaultValue, params string[] aliases)
    {
        if (!TryFind(name, aliases, out var element, out string found)) return defaultValue;
        return element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw FieldError(Origin, found, "must be true or false"),
        };
    }

    /// <summary>Whether the config has a non-null value under <paramref name="name"/>.</summary>
    public bool Has(string name) => TryGet(Raw, name, out _);

    /// <summary>Hidden size (hidden_size | n_embd | d_model | dim | emb_dim | embed_dim). Required.</summary>
    public int HiddenSize => GetInt(ConfigAliases.HiddenSize, Rest(ConfigAliases.HiddenSize));

    /// <summary>Attention heads (num_attention_heads | n_head | n_heads | num_heads | encoder_attention_heads). Required.</summary>
    public int NumAttentionHeads => GetInt(ConfigAliases.NumAttentionHeads, Rest(ConfigAliases.NumAttentionHeads));

    /// <summary>Layers (num_hidden_layers | n_layer | n_layers | num_layers | encoder_layers). Required.</summary>
    public int NumHiddenLayers => GetInt(ConfigAliases.NumHiddenLayers, Rest(ConfigAliases.NumHiddenLayers));

    /// <summary>Feed-forward size (intermediate_size | n_inner | hidden_dim | d_ff | ffn_dim | encoder_ffn_dim); 4 × hidden size for GPT-2, GPT-J, GPT-Neo and XLM when absent or null.</summary>
    public int IntermediateSize =>
        TryGetInt(ConfigAliases.IntermediateSize, Rest(ConfigAliases.IntermediateSize), out int value) ? value
        : TypeDefaults is { FourTimesHidden: true } ? checked(4 * HiddenSize)
        : throw Missing(ConfigAliases.IntermediateSize, Rest(ConfigAliases.IntermediateSize), "an integer");

    /// <summary>Vocabulary size (vocab_size | n_vocab | n_words). Required.</summary>
    public int VocabSize => GetInt(ConfigAliases.VocabSize, Rest(ConfigAliases.VocabSize));

    /// <summary>Learned position table size (max_position_embeddings | n_positions | n_ctx | max_seq_len). Required (T5, with relative positions, has none).</summary>
    public int MaxPositionEmbeddings => GetInt(ConfigAliases.MaxPositionEmbeddings, Rest(ConfigAliases.MaxPositionEmbeddings));

    /// <summary>Layer norm epsilon (layer_norm_eps | layer_norm_epsilon | rms_norm_eps | norm_eps), else the model type's default (BART 1e-5, DistilBERT 1e-12, ...).</summary>
    public double LayerNormEps =>
        TryGetDouble(ConfigAliases.LayerNormEps, Rest(ConfigAliases.LayerNormEps), out double value) ? value
        : TypeDefaults?.LayerNormEps ?? throw Missing(ConfigAliases.LayerNormEps, Rest(ConfigAliases.LayerNormEps), "a number");

    /// <summary>
    /// Activation name as transformers spells it (hidden_act | activation_function | activation | dense_act_fn | hidden_activation;
    /// XLM's gelu_activation flag; T5's feed_forward_proj), else the model type's default.
    /// </summary>
    public string HiddenAct
    {
        get
        {
            string? act = GetString(ConfigAliases.HiddenAct, Rest(ConfigAliases.HiddenAct));
            if (act is not null) return act;
            if (Has("gelu_activation")) return GetBool("gelu_activation", true) ? "gelu" : "relu";
            if (GetString("feed_forward_proj") is { } proj)
                return proj == "gated-gelu" ? "gelu_new" : proj.StartsWith("gated-", StringComparison.Ordinal) ? proj[6..] : proj;
            return TypeDefaults?.HiddenAct ?? throw Missing(ConfigAliases.HiddenAct, Rest(ConfigAliases.HiddenAct), "a string");
        }
    }

    /// <summary>tie_word_embeddings; absent means true as in transformers, except model types whose config class defaults to false (GPT-J, Llama).</summary>
    public bool TieWordEmbeddings => GetBool(ConfigAliases.TieWordEmbeddings, TypeDefaults?.TieWordEmbeddings ?? true);

    /// <summary>type_vocab_size (token type / segment embeddings); the model type's default when absent (2 for BERT-like, 0 for models without them).</summary>
    public int TypeVocabSize => GetInt(ConfigAliases.TypeVocabSize, TypeDefaults?.TypeVocabSize ?? 0);

    /// <summary>pad_token_id, or null when absent or null.</summary>
    public int? PadTokenId => TryGetInt("pad_token_id", [], out int value) ? value : null;

    /// <summary>The number of labels: the size of id2label when present, else num_labels, else 2 (transformers' default).</summary>
    public int NumLabels => Id2Label.Count > 0 ? Id2Label.Count : GetInt("num_labels", 2);

    private TypeDefaults? TypeDefaults => ConfigAliases.Defaults.TryGetValue(ModelType, out var d) ? d : null;

    private static string[] Rest(string canonical) => ConfigAliases.NamesFor(canonical)[1..];

    private bool TryGetInt(string name, string[] aliases, out int value)
    {
        value = 0;
        if (!TryFind(name, aliases, out var element, out string found)) return false;
        if (element.ValueKind == JsonValueKind.Number)
        {
            if (element.TryGetInt32(out value)) return true;
            if (element.TryGetDouble(out double d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
            {
                value = (int)d;
                return true;
            }
        }
        throw FieldError(Origin, found, "must be an integer");
    }

    private bool TryGetDouble(string name, string[] aliases, out double value)
    {
        value = 0;
        if (!TryFind(name, aliases, out var element, out string found)) return false;
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out value)) return true;
        throw FieldError(Origin, found, "must be a number");
    }

    // The first present (non-null) value under the name or an alias, and the name it was found under.
    private bool TryFind(string name, string[] aliases, out JsonElement element, out string found)
    {
        found = name;
        if (TryGet(Raw, name, out element)) return true;
        foreach (string alias in aliases ?? [])
        {
            if (TryGet(Raw, alias, out element))
            {
                found = alias;
                return true;
            }
        }
        return false;
    }

    private static bool TryGet(JsonElement root, string name, out JsonElement value) =>
        root.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static string? ReadString(JsonElement root, string origin, string name)
    {
        if (!TryGet(root, name, out var value)) return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw FieldError(origin, name, "must be a string");
    }

    private OnnxBuildException Missing(string name, string[] aliases, string kind) =>
        new(ErrorCodes.ConfigFieldInvalid,
            $"'{Origin}' has no '{name}'{(aliases is { Length: > 0 } ? " (nor " + string.Join(", ", aliases) + ")" : "")}; it must be {kind}. Add it to config.json.");

    private static OnnxBuildException FieldError(string origin, string name, string what) =>
        new(ErrorCodes.ConfigFieldInvalid, $"'{origin}': field '{name}' {what}. Fix config.json.");
}
