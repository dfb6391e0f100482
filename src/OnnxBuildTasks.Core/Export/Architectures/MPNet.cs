using static OnnxBuildTasks.Export.Tasks.ExportTasks;

namespace OnnxBuildTasks.Export.Architectures;

/// <summary>MPNet: RoBERTa-style positions, no token types, a relative attention bias (32 buckets) shared by every layer.</summary>
[Architecture("mpnet")]
internal sealed class MPNet : IEncoderArchitecture
{
    public EncoderFacts Facts { get; } = new()
    {
        ModelTypes = ["mpnet"],
        EncoderPrefix = "mpnet.",
        Embeddings = new()
        {
            Words = "embeddings.word_embeddings.weight",
            Positions = "embeddings.position_embeddings.weight",
            PositionKind = PositionKind.PaddingOffset,
            FixedPaddingIndex = 1,   // MPNetEmbeddings sets padding_idx = 1 itself
            TokenTypes = TokenTypeKind.None,
            Norm = "embeddings.LayerNorm",
        },
        Layers = new()
        {
            Query = "encoder.layer.{i}.attention.attn.q",
            Key = "encoder.layer.{i}.attention.attn.k",
            Value = "encoder.layer.{i}.attention.attn.v",
            AttentionOutput = "encoder.layer.{i}.attention.attn.o",
            AttentionNorm = "encoder.layer.{i}.attention.LayerNorm",
            FeedForwardIn = "encoder.layer.{i}.intermediate.dense",
            FeedForwardOut = "encoder.layer.{i}.output.dense",
            FeedForwardNorm = "encoder.layer.{i}.output.LayerNorm",
        },
        RelativeAttentionBias = "encoder.relative_attention_bias.weight",
        Heads = new Dictionary<string, HeadStep[]>
        {
            [FillMask] = [new Dense("lm_head.dense"), new Activation("gelu"), new Norm("lm_head.layer_norm"),
                new VocabularyProjection("lm_head.decoder.weight", "lm_head.bias")],
            [TextClassification] = [new FirstToken(), new Dense("classifier.dense"), new Activation("tanh"), new Dense("classifier.out_proj")],
            [MultipleChoice] = [new FirstToken(), new Dense("mpnet.pooler.dense"), new Activation("tanh"), new Dense("classifier")],
            [TokenClassification] = [new Dense("classifier")],
            [QuestionAnswering] = [new Dense("qa_outputs")],
        },
        ModelClasses = EncoderFacts.StandardModelClasses("MPNet"),
    };
}
