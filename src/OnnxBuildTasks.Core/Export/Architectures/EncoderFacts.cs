namespace OnnxBuildTasks.Export.Architectures;

/// <summary>How an encoder numbers positions for its learned position table.</summary>
public enum PositionKind
{
    /// <summary>0, 1, 2, … (BERT, ALBERT, ELECTRA, DistilBERT, XLM).</summary>
    Absolute,

    /// <summary>pad + cumulative count of non-pad tokens, pad for pad tokens (RoBERTa, XLM-R, MPNet).</summary>
    PaddingOffset,
}

/// <summary>Where token types (segments) come from.</summary>
public enum TokenTypeKind
{
    /// <summary>No token types at all (DistilBERT, MPNet).</summary>
    None,

    /// <summary>A token_type_ids input looked up in the token-type table (BERT, ALBERT, ELECTRA).</summary>
    Input,

    /// <summary>No input: every token has type 0, so row 0 of the token-type table is added (RoBERTa, XLM-R).</summary>
    ZeroRow,

    /// <summary>A token_type_ids input looked up in the word-embedding matrix (XLM).</summary>
    WordEmbeddings,
}

/// <summary>Where a layer's norms sit relative to its residual connections.</summary>
public enum NormPlacement
{
    /// <summary>x = LN(x + Attn(x)); x = LN(x + FFN(x)) (BERT and every encoder here).</summary>
    Post,

    /// <summary>x = x + Attn(LN(x)); x = x + FFN(LN(x)), usually with a final norm after the last layer.</summary>
    Pre,
}

/// <summary>How a layer's weight-name templates map to the computed layers.</summary>
public enum LayerSharing
{
    /// <summary>Every layer has its own weights; templates use {i}.</summary>
    None,

    /// <summary>ALBERT: layer l uses group l / (layers / num_hidden_groups), whose inner_group_num layers run in turn; templates use {g} and {j}.</summary>
    AlbertGroups,
}

/// <summary>Weight names of the embedding block, relative to the encoder prefix (weights carry their ".weight"/".bias" suffix where given).</summary>
public sealed record EmbeddingFacts
{
    /// <summary>Word embedding matrix [vocab, embedding size].</summary>
    public required string Words { get; init; }

    /// <summary>Learned position table [max positions, embedding size].</summary>
    public required string Positions { get; init; }

    /// <summary>
    /// Config flag that makes the position table sinusoidal (DistilBERT sinusoidal_pos_embds, XLM sinusoidal_embeddings).
    /// transformers saves that table with the weights; when a checkpoint lacks it, the exporter computes it.
    /// </summary>
    public string? SinusoidalFlag { get; init; }

    /// <summary>How position ids are formed.</summary>
    public PositionKind PositionKind { get; init; } = PositionKind.Absolute;

    /// <summary>
    /// For <see cref="PositionKind.PaddingOffset"/>: the padding index when the model fixes it whatever config.json's
    /// pad_token_id says (MPNet: 1); null to take pad_token_id (RoBERTa, XLM-R).
    /// </summary>
    public long? FixedPaddingIndex { get; init; }

    /// <summary>Where token types come from.</summary>
    public TokenTypeKind TokenTypes { get; init; } = TokenTypeKind.Input;

    /// <summary>Token-type table [type vocab, embedding size] (for <see cref="TokenTypeKind.Input"/> and <see cref="TokenTypeKind.ZeroRow"/>).</summary>
    public string? TokenTypeTable { get; init; }

    /// <summary>Layer norm module (weight/bias) applied to the summed embeddings; null when the embeddings have none (pre-norm encoders).</summary>
    public string? Norm { get; init; }

    /// <summary>Linear module projecting the embedding size to the hidden size (ALBERT always; ELECTRA when the two differ).</summary>
    public string? Projection { get; init; }

    /// <summary>Apply <see cref="Projection"/> even when embedding and hidden sizes are equal (ALBERT always has the mapping).</summary>
    public bool ProjectAlways { get; init; }

    /// <summary>Config key of the embedding size when it differs from the hidden size.</summary>
    public string? EmbeddingSizeKey { get; init; }
}

/// <summary>Module names of one encoder layer; templates with {i} (or {g}/{j} for ALBERT groups), relative to the encoder prefix.</summary>
public sealed record LayerFacts
{
    public required string Query { get; init; }
    public required string Key { get; init; }
    public required string Value { get; init; }
    public required string AttentionOutput { get; init; }
    public required string AttentionNorm { get; init; }
    public required string FeedForwardIn { get; init; }
    public required string FeedForwardOut { get; init; }
    public required string FeedForwardNorm { get; init; }

    /// <summary>How templates map to computed layers.</summary>
    public LayerSharing Sharing { get; init; } = LayerSharing.None;

    /// <summary>Post-norm (default) or pre-norm residuals.</summary>
    public NormPlacement Placement { get; init; } = NormPlacement.Post;

    /// <summary>Layer norm module after the last layer (pre-norm encoders), relative to the encoder prefix.</summary>
    public string? FinalNorm { get; init; }

    /// <summary>
    /// The module names of transformers' BERT encoder layer (<c>encoder.layer.{i}.attention.self.query</c>, …),
    /// which RoBERTa, XLM-RoBERTa and ELECTRA copy verbatim: a shared fact, not a shared architecture.
    /// </summary>
    public static LayerFacts BertLayerNames { get; } = new()
    {
        Query = "encoder.layer.{i}.attention.self.query",
        Key = "encoder.layer.{i}.attention.self.key",
        Value = "encoder.layer.{i}.attention.self.value",
        AttentionOutput = "encoder.layer.{i}.attention.output.dense",
        AttentionNorm = "encoder.layer.{i}.attention.output.LayerNorm",
        FeedForwardIn = "encoder.layer.{i}.intermediate.dense",
        FeedForwardOut = "encoder.layer.{i}.output.dense",
        FeedForwardNorm = "encoder.layer.{i}.output.LayerNorm",
    };
}

/// <summary>
/// Everything the exporter needs to know about one encoder architecture, declared as data: config aliases,
/// weight names, which blocks, task heads and the model classes that select a task.
/// </summary>
public sealed record EncoderFacts
{
    /// <summary>config.json model_type values this architecture reads.</summary>
    public required string[] ModelTypes { get; init; }

    /// <summary>Prefix of the encoder's weights in task-head checkpoints ("bert."); base-model checkpoints have none.</summary>
    public required string EncoderPrefix { get; init; }

    /// <summary>Embedding block facts.</summary>
    public required EmbeddingFacts Embeddings { get; init; }

    /// <summary>Encoder layer facts.</summary>
    public required LayerFacts Layers { get; init; }

    /// <summary>Relative attention bias table [buckets, heads] shared by all layers (MPNet), relative to the encoder prefix.</summary>
    public string? RelativeAttentionBias { get; init; }

    /// <summary>Zero the hidden states of padded positions after the embeddings and after every layer (XLM).</summary>
    public bool ZeroPaddedPositions { get; init; }

    /// <summary>Layer norm epsilon used when config.json has none (DistilBERT hard-codes 1e-12).</summary>
    public double DefaultLayerNormEps { get; init; } = 1e-12;

    /// <summary>Task heads: optimum task name -> steps applied to the encoder output (full weight names).</summary>
    public required IReadOnlyDictionary<string, HeadStep[]> Heads { get; init; }

    /// <summary>transformers model class (config.json architectures) -> optimum task.</summary>
    public required IReadOnlyDictionary<string, string> ModelClasses { get; init; }

    /// <summary>
    /// The six task classes under transformers' usual names for a model family: <c>{prefix}Model</c>,
    /// <c>{prefix}ForMaskedLM</c>, <c>…ForSequenceClassification</c>, <c>…ForTokenClassification</c>,
    /// <c>…ForQuestionAnswering</c> and <c>…ForMultipleChoice</c>, each with its optimum task.
    /// </summary>
    public static IReadOnlyDictionary<string, string> StandardModelClasses(string prefix) => new Dictionary<string, string>
    {
        [prefix + "Model"] = Tasks.ExportTasks.FeatureExtraction,
        [prefix + "ForMaskedLM"] = Tasks.ExportTasks.FillMask,
        [prefix + "ForSequenceClassification"] = Tasks.ExportTasks.TextClassification,
        [prefix + "ForTokenClassification"] = Tasks.ExportTasks.TokenClassification,
        [prefix + "ForQuestionAnswering"] = Tasks.ExportTasks.QuestionAnswering,
        [prefix + "ForMultipleChoice"] = Tasks.ExportTasks.MultipleChoice,
    };
}
