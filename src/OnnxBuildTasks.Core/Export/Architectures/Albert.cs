using static OnnxBuildTasks.Export.Tasks.ExportTasks;

namespace OnnxBuildTasks.Export.Architectures;

/// <summary>ALBERT: factorised embeddings projected to the hidden size, layer weights shared across groups.</summary>
[Architecture("albert")]
internal sealed class Albert : IEncoderArchitecture
{
    private const string Layer = "encoder.albert_layer_groups.{g}.albert_layers.{j}.";
    private static readonly HeadStep[] Pooled = [new FirstToken(), new Dense("albert.pooler"), new Activation("tanh"), new Dense("classifier")];

    public EncoderFacts Facts { get; } = new()
    {
        ModelTypes = ["albert"],
        EncoderPrefix = "albert.",
        Embeddings = new()
        {
            Words = "embeddings.word_embeddings.weight",
            Positions = "embeddings.position_embeddings.weight",
            TokenTypes = TokenTypeKind.Input,
            TokenTypeTable = "embeddings.token_type_embeddings.weight",
            Norm = "embeddings.LayerNorm",
            Projection = "encoder.embedding_hidden_mapping_in",
            ProjectAlways = true,
            EmbeddingSizeKey = "embedding_size",
        },
        Layers = new()
        {
            Query = Layer + "attention.query",
            Key = Layer + "attention.key",
            Value = Layer + "attention.value",
            AttentionOutput = Layer + "attention.dense",
            AttentionNorm = Layer + "attention.LayerNorm",
            FeedForwardIn = Layer + "ffn",
            FeedForwardOut = Layer + "ffn_output",
            FeedForwardNorm = Layer + "full_layer_layer_norm",
            Sharing = LayerSharing.AlbertGroups,
        },
        Heads = new Dictionary<string, HeadStep[]>
        {
            [FillMask] = [new Dense("predictions.dense"), new Activation("hidden_act", FromConfig: true), new Norm("predictions.LayerNorm"),
                new VocabularyProjection("predictions.decoder.weight", "predictions.bias")],
            [TextClassification] = Pooled,
            [MultipleChoice] = Pooled,
            [TokenClassification] = [new Dense("classifier")],
            [QuestionAnswering] = [new Dense("qa_outputs")],
        },
        ModelClasses = EncoderFacts.StandardModelClasses("Albert"),
    };
}
