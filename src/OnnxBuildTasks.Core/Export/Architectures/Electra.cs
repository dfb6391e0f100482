using static OnnxBuildTasks.Export.Tasks.ExportTasks;

namespace OnnxBuildTasks.Export.Architectures;

/// <summary>ELECTRA (discriminator/generator encoders): BERT-like layers, embeddings projected when embedding_size differs from hidden_size.</summary>
[Architecture("electra")]
internal sealed class Electra : IEncoderArchitecture
{
    public EncoderFacts Facts { get; } = new()
    {
        ModelTypes = ["electra"],
        EncoderPrefix = "electra.",
        Embeddings = new()
        {
            Words = "embeddings.word_embeddings.weight",
            Positions = "embeddings.position_embeddings.weight",
            TokenTypes = TokenTypeKind.Input,
            TokenTypeTable = "embeddings.token_type_embeddings.weight",
            Norm = "embeddings.LayerNorm",
            Projection = "embeddings_project",
            EmbeddingSizeKey = "embedding_size",
        },
        Layers = LayerFacts.BertLayerNames,
        Heads = new Dictionary<string, HeadStep[]>
        {
            [FillMask] = [new Dense("generator_predictions.dense"), new Activation("gelu"), new Norm("generator_predictions.LayerNorm"),
                new VocabularyProjection("generator_lm_head.weight", "generator_lm_head.bias")],
            [TextClassification] = [new FirstToken(), new Dense("classifier.dense"), new Activation("gelu"), new Dense("classifier.out_proj")],
            [MultipleChoice] = [new SequenceSummary("sequence_summary", DefaultActivation: "gelu"), new Dense("classifier")],
            [TokenClassification] = [new Dense("classifier")],
            [QuestionAnswering] = [new Dense("qa_outputs")],
        },
        ModelClasses = EncoderFacts.StandardModelClasses("Electra"),
    };
}
