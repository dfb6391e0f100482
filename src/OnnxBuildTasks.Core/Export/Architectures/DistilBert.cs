using static OnnxBuildTasks.Export.Tasks.ExportTasks;

namespace OnnxBuildTasks.Export.Architectures;

/// <summary>DistilBERT: no token types, a pre-classifier with ReLU for sentence heads.</summary>
[Architecture("distilbert")]
internal sealed class DistilBert : IEncoderArchitecture
{
    private static readonly HeadStep[] Pooled = [new FirstToken(), new Dense("pre_classifier"), new Activation("relu"), new Dense("classifier")];

    public EncoderFacts Facts { get; } = new()
    {
        ModelTypes = ["distilbert"],
        EncoderPrefix = "distilbert.",
        Embeddings = new()
        {
            Words = "embeddings.word_embeddings.weight",
            SinusoidalFlag = "sinusoidal_pos_embds",
            Positions = "embeddings.position_embeddings.weight",
            TokenTypes = TokenTypeKind.None,
            Norm = "embeddings.LayerNorm",
        },
        Layers = new()
        {
            Query = "transformer.layer.{i}.attention.q_lin",
            Key = "transformer.layer.{i}.attention.k_lin",
            Value = "transformer.layer.{i}.attention.v_lin",
            AttentionOutput = "transformer.layer.{i}.attention.out_lin",
            AttentionNorm = "transformer.layer.{i}.sa_layer_norm",
            FeedForwardIn = "transformer.layer.{i}.ffn.lin1",
            FeedForwardOut = "transformer.layer.{i}.ffn.lin2",
            FeedForwardNorm = "transformer.layer.{i}.output_layer_norm",
        },
        Heads = new Dictionary<string, HeadStep[]>
        {
            [FillMask] = [new Dense("vocab_transform"), new Activation("hidden_act", FromConfig: true),
                new Norm("vocab_layer_norm"), new VocabularyProjection("vocab_projector.weight", "vocab_projector.bias")],
            [TextClassification] = Pooled,
            [MultipleChoice] = Pooled,
            [TokenClassification] = [new Dense("classifier")],
            [QuestionAnswering] = [new Dense("qa_outputs")],
        },
        ModelClasses = EncoderFacts.StandardModelClasses("DistilBert"),
    };
}
