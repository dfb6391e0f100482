using static OnnxBuildTasks.Export.Tasks.ExportTasks;

namespace OnnxBuildTasks.Export.Architectures;

/// <summary>XLM-RoBERTa: positions offset past the padding index, a single token type (row 0 added), a dense+tanh classification head.</summary>
[Architecture("xlm-roberta")]
internal sealed class XlmRoberta : IEncoderArchitecture
{
    public EncoderFacts Facts { get; } = new()
    {
        ModelTypes = ["xlm-roberta"],
        EncoderPrefix = "roberta.",
        Embeddings = new()
        {
            Words = "embeddings.word_embeddings.weight",
            Positions = "embeddings.position_embeddings.weight",
            PositionKind = PositionKind.PaddingOffset,
            TokenTypes = TokenTypeKind.ZeroRow,
            TokenTypeTable = "embeddings.token_type_embeddings.weight",
            Norm = "embeddings.LayerNorm",
        },
        Layers = LayerFacts.BertLayerNames,
        Heads = new Dictionary<string, HeadStep[]>
        {
            [FillMask] = [new Dense("lm_head.dense"), new Activation("gelu"), new Norm("lm_head.layer_norm"),
                new VocabularyProjection("lm_head.decoder.weight", "lm_head.bias")],
            [TextClassification] = [new FirstToken(), new Dense("classifier.dense"), new Activation("tanh"), new Dense("classifier.out_proj")],
            [MultipleChoice] = [new FirstToken(), new Dense("roberta.pooler.dense"), new Activation("tanh"), new Dense("classifier")],
            [TokenClassification] = [new Dense("classifier")],
            [QuestionAnswering] = [new Dense("qa_outputs")],
        },
        ModelClasses = EncoderFacts.StandardModelClasses("XLMRoberta"),
    };
}
