namespace OnnxBuildTasks.Checkpoints;

/// <summary>
/// Weights transformers ties to another weight and therefore leaves out of safetensors files
/// (<c>save_pretrained</c> drops the duplicate; pytorch_model.bin keeps both as one shared storage).
/// A missing name resolves to its source's data when the source is present and the tie applies.
/// </summary>
public static class TiedWeights
{
    /// <summary>When a tie applies.</summary>
    public enum TieKind
    {
        /// <summary>Only when the config ties input and output embeddings (<see cref="ModelConfig.TieWordEmbeddings"/>).</summary>
        WordEmbeddings,
        /// <summary>Always: the model shares the module itself (e.g. a decoder bias that is the head's bias, BART/T5 shared embeddings).</summary>
        Always,
    }

    // (model_type, missing name, source name, when). Names are as the model classes write them; the
    // base-model class (no prefix) and the task classes (prefix) both appear where they differ.
    private static readonly (string ModelType, string Missing, string Source, TieKind Kind)[] Table =
    [
        ("albert", "predictions.decoder.weight", "albert.embeddings.word_embeddings.weight", TieKind.WordEmbeddings),
        ("albert", "predictions.decoder.bias", "predictions.bias", TieKind.Always),
        ("bart", "encoder.embed_tokens.weight", "shared.weight", TieKind.Always),
        ("bart", "decoder.embed_tokens.weight", "shared.weight", TieKind.Always),
        ("bart", "model.encoder.embed_tokens.weight", "model.shared.weight", TieKind.Always),
        ("bart", "model.decoder.embed_tokens.weight", "model.shared.weight", TieKind.Always),
        ("bart", "lm_head.weight", "model.shared.weight", TieKind.WordEmbeddings),
        ("bert", "cls.predictions.decoder.weight", "bert.embeddings.word_embeddings.weight", TieKind.WordEmbeddings),
        ("bert", "cls.predictions.decoder.bias", "cls.predictions.bias", TieKind.Always),
        ("distilbert", "vocab_projector.weight", "distilbert.embeddings.word_embeddings.weight", TieKind.WordEmbeddings),
        ("electra", "generator_lm_head.weight", "electra.embeddings.word_embeddings.weight", TieKind.WordEmbeddings),
        ("gpt_neo", "lm_head.weight", "transformer.wte.weight", TieKind.WordEmbeddings),
        ("gpt2", "lm_head.weight", "transformer.wte.weight", TieKind.WordEmbeddings),
        ("gptj", "lm_head.weight", "transformer.wte.weight", TieKind.WordEmbeddings),
        ("llama", "lm_head.weight", "model.embed_tokens.weight", TieKind.WordEmbeddings),
        ("mpnet", "lm_head.decoder.weight", "mpnet.embeddings.word_embeddings.weight", TieKind.WordEmbeddings),
        ("mpnet", "lm_head.decoder.bias", "lm_head.bias", TieKind.Always),
        ("roberta", "lm_head.decoder.weight", "roberta.embeddings.word_embeddings.weight", TieKind.WordEmbeddings),
        ("roberta", "lm_head.decoder.bias", "lm_head.bias", TieKind.Always),
        ("t5", "encoder.embed_tokens.weight", "shared.weight", TieKind.Always),
        ("t5", "decoder.embed_tokens.weight", "shared.weight", TieKind.Always),
        ("t5", "lm_head.weight", "shared.weight", TieKind.WordEmbeddings),
        ("xlm", "pred_layer.proj.weight", "transformer.embeddings.weight", TieKind.WordEmbeddings),
        ("xlm-roberta", "lm_head.decoder.weight", "roberta.embeddings.word_embeddings.weight", TieKind.WordEmbeddings),
        ("xlm-roberta", "lm_head.decoder.bias", "lm_head.bias", TieKind.Always),
    ];

    /// <summary>The ties declared for <paramref name="modelType"/> (missing name, source name, kind).</summary>
    public static IEnumerable<(string Missing, string Source, TieKind Kind)> For(string modelType) =>
        Table.Where(t => t.ModelType == modelType).Select(t => (t.Missing, t.Source, t.Kind));

    /// <summary>The model types that have tie entries.</summary>
    public static IEnumerable<string> ModelTypes => Table.Select(t => t.ModelType).Distinct();

    /// <summary>
    /// The ties that apply to a checkpoint: for each declared tie whose name is absent and whose source is
    /// present (and, for word-embedding ties, the config ties embeddings), missing name -> source name.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Resolve(ModelConfig config, Func<string, bool> isPresent)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(isPresent);
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        bool tieEmbeddings = false;
        bool tieKnown = false;
        foreach (var (missing, source, kind) in For(config.ModelType))
        {
            if (isPresent(missing) || !isPresent(source)) continue;
            if (kind == TieKind.WordEmbeddings)
            {
                if (!tieKnown) { tieEmbeddings = config.TieWordEmbeddings; tieKnown = true; }
                if (!tieEmbeddings) continue;
            }
            resolved[missing] = source;
        }
        return resolved;
    }
}
