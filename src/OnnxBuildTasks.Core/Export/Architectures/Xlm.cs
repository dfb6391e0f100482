using static OnnxBuildTasks.Export.Tasks.ExportTasks;

namespace OnnxBuildTasks.Export.Architectures;

/// <summary>XLM: token types looked up in the word embeddings, padded positions zeroed after every layer, sequence-summary heads.</summary>
[Architecture("xlm")]
internal sealed class Xlm : IEncoderArchitecture
{
    public EncoderFacts Facts { get; } = new()
    {
        ModelTypes = ["xlm"],
        EncoderPrefix = "transformer.",
        Embeddings = new()
        {
            Words = "embeddings.weight",
            SinusoidalFlag = "sinusoidal_embeddings",
            Positions = "position_embeddings.weight",
            TokenTypes = TokenTypeKind.WordEmbeddings,
            Norm = "layer_norm_emb",
        },
        Layers = new()
        {
            Query = "attentions.{i}.q_lin",
            Key = "attentions.{i}.k_lin",
            Value = "attentions.{i}.v_lin",
            AttentionOutput = "attentions.{i}.out_lin",
            AttentionNorm = "layer_norm1.{i}",
            FeedForwardIn = "ffns.{i}.lin1",
            FeedForwardOut = "ffns.{i}.lin2",
            FeedForwardNorm = "layer_norm2.{i}",
        },
        ZeroPaddedPositions = true,
        Heads = new Dictionary<string, HeadStep[]>
        {
            [FillMask] = [new VocabularyProjection("pred_layer.proj.weight", "pred_layer.proj.bias")],
            [TextClassification] = [new SequenceSummary("sequence_summary", DefaultActivation: null)],
            [MultipleChoice] = [new SequenceSummary("sequence_summary", DefaultActivation: null), new Dense("logits_proj")],
            [TokenClassification] = [new Dense("classifier")],
            [QuestionAnswering] = [new Dense("qa_outputs")],
        },
        ModelClasses = new Dictionary<string, string>
        {
            ["XLMModel"] = FeatureExtraction,
            ["XLMWithLMHeadModel"] = FillMask,
            ["XLMForSequenceClassification"] = TextClassification,
            ["XLMForTokenClassification"] = TokenClassification,
            ["XLMForQuestionAnsweringSimple"] = QuestionAnswering,
            ["XLMForMultipleChoice"] = MultipleChoice,
        },
    };
}
