namespace OnnxBuildTasks.Checkpoints;

/// <summary>
/// Weights transformers ties to another weight and therefore leaves out of safetensors files
/// (<c>save_pretrained</c> drops the duplicate; pytorch_model.bin keeps both as one shared storage).
/// A missing name resolves to its source's data when the tie applies: the source is present, the
/// config's <c>architectures</c> names a model class that has the tied module (for heads), and,
/// for word-embedding ties, the config ties embeddings.
/// </summary>
public static class TiedWeights
{
    /// <summary>When a tie applies.</summary>
    public enum TieKind
    {
        /// <summary>Only when the config ties input and output embeddings (<see cref="ModelConfig.TieWordEmbeddings"/>).</summary>
        WordEmbeddings,
        /// <summary>Always: the model shares the module itself (a decoder bias that is the head's bias, BART/T5 shared embeddings).</summary>
        Always,
    }

    private static readonly string[] AnyClass = [];

    // (model_type, model classes that have the tied module (empty: any class whose weights hold the source),
    //  missing name, source name, when). Names are as each class writes them.
    private static readonly Tie[] Table =
    [
        new("albert", ["AlbertForMaskedLM", "AlbertForPreTraining"], "predictions.decoder.weight", "albert.embeddings.word_embeddings.weight", TieKind.WordEmbeddings),
        new("albert", AnyClass, "predictions.decoder.bias", "predictions.bias", TieKind.Always),
        new("bart", AnyClass, "encoder.embed_tokens.weight", "shared.weight", TieKind.Always),
        new("bart", AnyClass, "decoder.embed_tokens.weight", "shared.weight", TieKind.Always),
        new("bart", AnyClass, "model.encoder.embed_tokens.weight", "model.shared.weight", TieKind.Always),
        new("bart", AnyClass, "model.decoder.embed_tokens.weight", "model.shared.weight", TieKind.Always),
        new("bart", ["BartForConditionalGeneration", "BartForCausalLM"], "lm_head.weight", "model.shared.weight", TieKind.WordEmbeddings),
        new("bert", ["BertForMaskedLM", "BertForPreTraining", "BertLMHeadModel"], "cls.predictions.decoder.weight", "bert.embeddings.word_embeddings.weight", TieKind.WordEmbeddings),
        new("bert", AnyClass, "cls.predictions.decoder.bias", "cls.predictions.bias", TieKind.Always),
        new("distilbert", ["DistilBertForMaskedLM"], "vocab_projector.weight", "distilbert.embeddings.word_embeddings.weight", TieKind.WordEmbeddings),
        new("electra", ["ElectraForMaskedLM"], "generator_lm_head.weight", "electra.embeddings.word_embeddings.weight", TieKind.WordEmbeddings),
        new("gpt_neo", ["GPTNeoForCausalLM"], "lm_head.weight", "transformer.wte.weight", TieKind.WordEmbeddings),
        new("gpt2", ["GPT2LMHeadModel", "GPT2DoubleHeadsModel"], "lm_head.weight", "transformer.wte.weight", TieKind.WordEmbeddings),
        new("gptj", ["GPTJForCausalLM"], "lm_head.weight", "transformer.wte.weight", TieKind.WordEmbeddings),
        new("llama", ["LlamaForCausalLM"], "lm_head.weight", "model.embed_tokens.weight", TieKind.WordEmbeddings),
        new("mpnet", ["MPNetForMaskedLM"], "lm_head.decoder.weight", "mpnet.embeddings.word_embeddings.weight", TieKind.WordEmbeddings),
        new("mpnet", AnyClass, "lm_head.decoder.bias", "lm_head.bias", TieKind.Always),
        new("roberta", ["RobertaForMaskedLM", "RobertaForCausalLM"], "lm_head.decoder.weight", "roberta.embeddings.word_embeddings.weight", TieKind.WordEmbeddings),
        new("roberta", AnyClass, "lm_head.decoder.bias", "lm_head.bias", TieKind.Always),
        new("t5", AnyClass, "encoder.embed_tokens.weight", "shared.weight", TieKind.Always),
        new("t5", AnyClass, "decoder.embed_tokens.weight", "shared.weight", TieKind.Always),
        new("t5", ["T5ForConditionalGeneration"], "lm_head.weight", "shared.weight", TieKind.WordEmbeddings),
        new("xlm", ["XLMWithLMHeadModel"], "pred_layer.proj.weight", "transformer.embeddings.weight", TieKind.WordEmbeddings),
        new("xlm-roberta", ["XLMRobertaForMaskedLM", "XLMRobertaForCausalLM"], "lm_head.decoder.weight", "roberta.embeddings.word_embeddings.weight", TieKind.WordEmbeddings),
        new("xlm-roberta", AnyClass, "lm_head.decoder.bias", "lm_head.bias", TieKind.Always),
    ];

    // A class, not a tuple, as the table is built on every checkpoint open (tuples over value types compile at first use).
    private sealed record Tie(string ModelType, string[] Classes, string Missing, string Source, TieKind Kind);

    /// <summary>The model types that have tie entries.</summary>
    public static IEnumerable<string> ModelTypes => Table.Select(t => t.ModelType).Distinct();

    /// <summary>
    /// The ties that apply to a checkpoint: missing name -> source name, for each declared tie whose name is
    /// absent, whose source is present, whose model class is in the config's architectures (when the tie names
    /// classes) and, for word-embedding ties, whose config ties embeddings.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Resolve(ModelConfig config, Func<string, bool> isPresent)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(isPresent);
        // Plain loops over the table (this runs on every checkpoint open, where first-call cost counts).
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (modelType, classes, missing, source, kind) in Table)
        {
            if (modelType != config.ModelType || isPresent(missing) || !isPresent(source)) continue;
            if (classes.Length > 0 && !NamesAny(classes, config.Architectures)) continue;
            if (kind == TieKind.WordEmbeddings && !config.TieWordEmbeddings) continue;
            resolved[missing] = source;
        }
        return resolved;
    }

    private static bool NamesAny(string[] classes, IReadOnlyList<string> architectures)
    {
        foreach (string architecture in architectures)
        {
            foreach (string name in classes)
            {
                if (string.Equals(name, architecture, StringComparison.Ordinal)) return true;
            }
        }
        return false;
    }
}
