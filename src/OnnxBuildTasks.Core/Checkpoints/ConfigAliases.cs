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
    // (null IntermediateSize factor means "4 × hidden size", as GPT-2, GPT-J, GPT-Neo and XLM compute it).
    public static readonly IReadOnlyDictionary<string, (double LayerNormEps, string HiddenAct, bool TieWordEmbeddings, int TypeVocabSize, bool FourTimesHidden)> Defaults =
        new Dictionary<string, (double, string, bool, int, bool)>(StringComparer.Ordinal)
        {
            ["albert"] = (1e-12, "gelu_new", true, 2, false),
            ["bart"] = (1e-5, "gelu", true, 0, false),
            ["bert"] = (1e-12, "gelu", true, 2, false),
            ["distilbert"] = (1e-12, "gelu", true, 0, false),
            ["electra"] = (1e-12, "gelu", true, 2, false),
            ["gpt_neo"] = (1e-5, "gelu_new", true, 0, true),
            ["gpt2"] = (1e-5, "gelu_new", true, 0, true),
            ["gptj"] = (1e-5, "gelu_new", false, 0, true),
            ["llama"] = (1e-6, "silu", false, 0, false),
            ["mpnet"] = (1e-12, "gelu", true, 0, false),
            ["roberta"] = (1e-12, "gelu", true, 2, false),
            ["t5"] = (1e-6, "relu", true, 0, false),
            ["vit"] = (1e-12, "gelu", true, 0, false),
            ["xlm"] = (1e-12, "gelu", true, 0, true),
            ["xlm-roberta"] = (1e-12, "gelu", true, 2, false),
        };

    /// <summary>The names to try for <paramref name="canonical"/>: the canonical name first, then its aliases.</summary>
    public static string[] NamesFor(string canonical) =>
        Aliases.TryGetValue(canonical, out var aliases) ? [canonical, .. aliases] : [canonical];
}
