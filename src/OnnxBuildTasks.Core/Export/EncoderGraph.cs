using OnnxBuildTasks.Checkpoints;
using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Export.Architectures;
using OnnxBuildTasks.Export.Blocks;
using OnnxBuildTasks.Export.Tasks;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Export;

/// <summary>
/// Builds the whole graph of an encoder for one task: optimum's inputs (input_ids, attention_mask and
/// token_type_ids where the architecture has them; [batch, num_choices, sequence] for multiple-choice),
/// embeddings, layers, the task head and optimum's outputs with dynamic axes.
/// </summary>
internal static class EncoderGraph
{
    private const string Batch = "batch_size", Sequence = "sequence_length", Choices = "num_choices";

    // config.json settings the encoder graph does not implement: (key, the only value(s) accepted when present).
    private static readonly (string Key, string[] Accepted)[] Unsupported =
    [
        ("position_embedding_type", ["absolute"]),
        ("is_decoder", ["false"]),
        ("add_cross_attention", ["false"]),
        ("causal", ["false"]),
        ("asm", ["false"]),
    ];

    public static GraphBuilder Build(Checkpoint checkpoint, EncoderFacts facts, string task, int opset, DataType computeType, string item, string graphName)
    {
        var config = checkpoint.Config;
        var g = new GraphBuilder(opset, graphName);
        var ctx = new EncoderContext
        {
            Graph = g,
            Weights = new WeightLoader(checkpoint, g, item, computeType),
            Config = config,
            Facts = facts,
            Item = item,
            Prefix = checkpoint.TryGetTensor(facts.EncoderPrefix + facts.Embeddings.Words, out _) ? facts.EncoderPrefix : "",
            HiddenSize = config.HiddenSize,
            Heads = config.NumAttentionHeads,
            LayerNormEps = (float)config.GetDouble("layer_norm_eps", facts.DefaultLayerNormEps, "layer_norm_epsilon"),
        };
        foreach (var (key, accepted) in Unsupported)
        {
            if (!config.Raw.TryGetProperty(key, out var value) || value.ValueKind == System.Text.Json.JsonValueKind.Null) continue;
            string text = value.ValueKind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False
                ? value.GetBoolean() ? "true" : "false" : value.ToString();
            if (!accepted.Contains(text, StringComparer.Ordinal))
                throw new OnnxBuildException(ErrorCodes.ExportConfigInvalid,
                    $"{item}: config.json sets {key} = {text}, which the native exporter does not implement (it supports {string.Join(" or ", accepted)}). " +
                    "Use an ONNX file published with the model (File metadata) instead.");
        }
        if (ctx.HiddenSize % ctx.Heads != 0)
            throw new OnnxBuildException(ErrorCodes.ExportConfigInvalid,
                $"{item}: config.json hidden size {ctx.HiddenSize} is not a multiple of the {ctx.Heads} attention heads.");

        bool choices = ExportTasks.HasChoices(task);
        Dim[] inputDims = choices ? [Batch, Choices, Sequence] : [Batch, Sequence];
        bool hasTokenTypes = facts.Embeddings.TokenTypes is TokenTypeKind.Input or TokenTypeKind.WordEmbeddings;
        string ids = g.Input("input_ids", DataType.Int64, inputDims);
        string mask = g.Input("attention_mask", DataType.Int64, inputDims);
        string? types = hasTokenTypes ? g.Input("token_type_ids", DataType.Int64, inputDims) : null;

        if (choices)
        {
            // [batch, choices, sequence] -> [batch·choices, sequence]
            string flatShape = g.Concat(0, g.Int64s([-1]), g.DimOf(ids, 2));
            ids = g.Op("Reshape", ids, flatShape);
            mask = g.Op("Reshape", mask, flatShape);
            if (types is not null) types = g.Op("Reshape", types, flatShape);
        }

        string maskFloat = g.Cast(mask, computeType);
        string sequence = Embeddings.Build(ctx, ids, types, maskFloat, out string wordTable);
        string additiveMask = SelfAttention.AdditiveMask(g, mask);
        string? bias = facts.RelativeAttentionBias is { } rel ? RelativePositionBias.Build(ctx, ids, rel) : null;
        sequence = EncoderLayers.Build(ctx, sequence, additiveMask, bias, maskFloat);

        if (task == ExportTasks.FeatureExtraction)
        {
            g.Output(sequence, "last_hidden_state", computeType, Batch, Sequence, ctx.HiddenSize);
            return g;
        }
        if (!facts.Heads.TryGetValue(task, out var steps))
            throw new OnnxBuildException(ErrorCodes.ExportUnsupportedTask,
                $"{item}: task '{task}' is not supported for model_type '{config.ModelType}'. Supported: {string.Join(", ", SupportedTasks(facts))}.");
        string head = HeadBuilder.Build(ctx, sequence, steps, wordTable, out long width);

        switch (task)
        {
            case ExportTasks.QuestionAnswering:
                var parts = g.Split(head, 2, 1, 1);
                g.Output(g.Squeeze(parts[0], 2), "start_logits", computeType, Batch, Sequence);
                g.Output(g.Squeeze(parts[1], 2), "end_logits", computeType, Batch, Sequence);
                break;
            case ExportTasks.MultipleChoice:
                // [batch·choices, 1] -> [batch, choices]
                g.Output(g.Op("Reshape", head, g.Concat(0, g.Int64s([-1]), g.DimOf("input_ids", 1))), "logits", computeType, Batch, Choices);
                break;
            case ExportTasks.TextClassification:
                g.Output(head, "logits", computeType, Batch, width);
                break;
            default:
                g.Output(head, "logits", computeType, Batch, Sequence, width);
                break;
        }
        return g;
    }

    /// <summary>Tasks an architecture can export.</summary>
    public static IEnumerable<string> SupportedTasks(EncoderFacts facts) =>
        ExportTasks.All.Where(t => t == ExportTasks.FeatureExtraction || facts.Heads.ContainsKey(t));
}
