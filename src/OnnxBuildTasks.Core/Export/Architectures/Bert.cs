using static OnnxBuildTasks.Export.Tasks.ExportTasks;

namespace OnnxBuildTasks.Export.Architectures;

/// <summary>BERT: learned absolute positions, token types, post-norm layers, pooler for sentence heads.</summary>
[Architecture("bert")]
internal sealed class Bert : IEncoderArchitecture
{
    private static readonly HeadStep[] Pooled = [new FirstToken(), new Dense("bert.pooler.dense"), new Activation("tanh"), new Dense("classifier")];

    public EncoderFacts Facts { get; } = new()
    {
        ModelTypes = ["bert"],
        EncoderPrefix = "bert.",
        Embeddings = new()
        {
            Words = "embeddings.word_embeddings.weight",
            Positions = "embeddings.position_embeddings.weight",
            TokenTypes = TokenTypeKind.Input,
            TokenTypeTable = "embeddings.token_type_embeddings.weight",
            Norm = "embeddings.LayerNorm",
        },
        Layers = LayerFacts.BertLayerNames,
        Heads = new Dictionary<string, HeadStep[]>
        {
            [FillMask] = [new Dense("cls.predictions.transform.dense"), new Activation("hidden_act", FromConfig: true),
                new Norm("cls.predictions.transform.LayerNorm"), new VocabularyProjection("cls.predictions.decoder.weight", "cls.predictions.bias")],
            [TextClassification] = Pooled,
            [MultipleChoice] = Pooled,
            [TokenClassification] = [new Dense("classifier")],
            [QuestionAnswering] = [new Dense("qa_outputs")],
        },
        ModelClasses = EncoderFacts.StandardModelClasses("Bert"),
    };
}
