namespace OnnxBuildTasks.Checkpoints;

/// <summary>
/// The config.json field names real Hugging Face configs use for each common hyper-parameter
/// (transformers' <c>attribute_map</c> facts), and the defaults transformers applies per model type
/// when a field is absent. Supporting one more spelling or model type is a one-line change here.
/// </summary>
internal static class ConfigAliases
{
    public const string HiddenSize = "hidden_size";
    public const string NumAttentionHeads = "num_attention_heads";
    public const string NumHiddenLayers = "num_hidden_layers";
    public const string IntermediateSize = "intermediate_size";
    public const string VocabSize = "vocab_size";
    public const string MaxPositionEmbeddings = "max_position_embeddings";
    public const string LayerNormEps = "layer_norm_eps";
    public const string HiddenAct = "hidden_act";
    public const string TieWordEmbeddings = "tie_word_embeddings";
    public const string TypeVocabSize = "type_vocab_size";

    // canonical name -> other names, tried in order (gpt2/gptj: n_embd...; t5/bart: d_model...; distilbert: dim...; xlm: emb_dim...)
    public static readonly IReadOnlyDictionary<string, string[]> Aliases = new Dictionary<string, string[]>
    {
        [HiddenSize] = ["n_embd", "d_model", "dim", "emb_dim", "embed_dim"],
        [NumAttentionHeads] = ["n_head", "n_heads", "num_heads", "encoder_attention_heads"],
        [NumHiddenLayers] = ["n_layer", "n_layers", "num_layers", "encoder_layers"],
        [IntermediateSize] = ["n_inner", "hidden_dim", "d_ff", "ffn_dim", "encoder_ffn_dim"],
        [VocabSize] = ["n_vocab", "n_words"],
        [MaxPositionEmbeddings] = ["n_positions", "n_ctx", "max_seq_len"],
        [LayerNormEps] = ["layer_norm_epsilon", "rms_norm_eps", "norm_eps"],
        [HiddenAct] = ["activation_function", "activation", "dense_act_fn", "hidden_activation"],
        [TieWordEmbeddings] = [],
        [TypeVocabSize] = [],
    };

    // model_type -> transformers' defaults for fields the config may leave out
    // (FourTimesHidden: the intermediate size is 4 × hidden size when absent, as GPT-2, GPT-J, GPT-Neo and XLM compute it).
    public static readonly IReadOnlyDictionary<string, TypeDefaults> Defaults = new Dictionary<string, TypeDefaults>(StringComparer.Ordinal)
    {
        ["albert"] = new(1e-12, "gelu_new", true, 2, false),
        ["bart"] = new(1e-5, "gelu", true, 0, false),
        ["bert"] = new(1e-12, "gelu", true, 2, false),
        ["distilbert"] = new(1e-12, "gelu", true, 0, false),
        ["electra"] = new(1e-12, "gelu", true, 2, false),
        ["gpt_neo"] = new(1e-5, "gelu_new", true, 0, true),
        ["gpt2"] = new(1e-5, "gelu_new", true, 0, true),
        ["gptj"] = new(1e-5, "gelu_new", false, 0, true),
        ["llama"] = new(1e-6, "silu", false, 0, false),
        ["mpnet"] = new(1e-12, "gelu", true, 0, false),
        ["roberta"] = new(1e-12, "gelu", true, 2, false),
        ["t5"] = new(1e-6, "relu", true, 0, false),
        ["vit"] = new(1e-12, "gelu", true, 0, false),
        ["xlm"] = new(1e-12, "gelu", true, 0, true),
        ["xlm-roberta"] = new(1e-12, "gelu", true, 2, false),
    };

    /// <summary>The names to try for <paramref name="canonical"/>: the canonical name first, then its aliases.</summary>
    public static string[] NamesFor(string canonical) =>
        Aliases.TryGetValue(canonical, out var aliases) ? [canonical, .. aliases] : [canonical];
}

/// <summary>
/// The defaults transformers applies for one model type. A class, not a tuple: a dictionary of a reference type uses
/// the runtime's precompiled code, where one of a tuple is compiled at first use (every export reads config.json).
/// </summary>
internal sealed record TypeDefaults(double LayerNormEps, string HiddenAct, bool TieWordEmbeddings, int TypeVocabSize, bool FourTimesHidden);
