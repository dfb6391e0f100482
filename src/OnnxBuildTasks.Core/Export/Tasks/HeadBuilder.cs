using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Export.Architectures;
using OnnxBuildTasks.Export.Blocks;

namespace OnnxBuildTasks.Export.Tasks;

/// <summary>Applies an architecture's declared head steps to the encoder output.</summary>
internal static class HeadBuilder
{
    /// <param name="ctx">Build context.</param>
    /// <param name="sequence">Encoder output [batch, sequence, hidden].</param>
    /// <param name="steps">The head's steps.</param>
    /// <param name="wordTable">The word-embedding initializer (for tied vocabulary projections).</param>
    /// <param name="width">The size of the last axis of the result.</param>
    public static string Build(EncoderContext ctx, string sequence, HeadStep[] steps, string wordTable, out long width)
    {
        var g = ctx.Graph;
        using var scope = g.Scope("head");
        string x = sequence;
        width = ctx.HiddenSize;
        foreach (var step in steps)
        {
            switch (step)
            {
                case FirstToken:
                    x = Token(g, x, 0);
                    break;
                case SequenceSummary summary:
                    x = Summarize(ctx, x, summary, ref width);
                    break;
                case Dense d:
                    x = Dense(ctx, x, d.Module, d.Bias, ref width);
                    break;
                case Activation a:
                    x = Activations.Apply(g, x, ActivationName(ctx, a), ctx.ComputeType, ctx.Item);
                    break;
                case Norm n:
                    x = ctx.LayerNorm(x, n.Module, width);
                    break;
                case VocabularyProjection v:
                {
                    long vocab = ctx.Config.VocabSize;
                    string weight = ctx.Config.TieWordEmbeddings
                        ? g.Transpose(wordTable, 1, 0)
                        : ctx.Weights.Linear(v.Weight[..^".weight".Length], width, vocab, bias: false).Weight;
                    x = g.Op("Add", g.Op("MatMul", x, weight), ctx.Weights.Vector(v.BiasName, vocab));
                    width = vocab;
                    break;
                }
                default:
                    throw new InvalidOperationException($"Unknown head step {step}.");
            }
        }
        return x;
    }

    // One position of the sequence axis (negative from the end): [batch, sequence, hidden] -> [batch, hidden].
    private static string Token(GraphBuilder g, string x, long index) =>
        g.Squeeze(g.Slice(x, 1, index, index == -1 ? long.MaxValue : index + 1), 1);

    // A Linear module applied to the last axis; width becomes its output size.
    private static string Dense(EncoderContext ctx, string x, string module, bool bias, ref long width)
    {
        var (w, b, _, o) = ctx.Weights.Linear(module, width, null, bias);
        width = o;
        return ctx.Graph.Linear(x, w, b);
    }

    // transformers' SequenceSummary.forward without a cls_index (how the XLM and ELECTRA heads call it); dropout is a no-op.
    private static string Summarize(EncoderContext ctx, string x, SequenceSummary summary, ref long width)
    {
        var g = ctx.Graph;
        string type = ctx.Config.GetString("summary_type") ?? "first";
        x = type switch
        {
            "first" => Token(g, x, 0),
            "last" or "cls_index" => Token(g, x, -1),
            "mean" => g.ReduceMean(x, [1], keepDims: false),
            _ => throw new OnnxBuildException(ErrorCodes.ExportConfigInvalid,
                $"{ctx.Item}: config.json sets summary_type = {type}, which the native exporter does not implement (it supports first, last, mean or cls_index). " +
                "Use an ONNX file published with the model (File metadata) instead."),
        };
        if (ctx.Config.GetBool("summary_use_proj", true))
            x = Dense(ctx, x, summary.Module + ".summary", bias: true, ref width);
        // Present (null included: identity) wins over the class default that transformers uses when the key is absent.
        string? activation = ctx.Config.Raw.TryGetProperty("summary_activation", out _)
            ? ctx.Config.GetString("summary_activation")
            : summary.DefaultActivation;
        return Activations.Apply(g, x, activation, ctx.ComputeType, ctx.Item);
    }

    private static string? ActivationName(EncoderContext ctx, Activation a)
    {
        if (!a.FromConfig) return a.Name;
        return a.Name == "hidden_act" ? ctx.Config.HiddenAct : ctx.Config.GetString(a.Name);
    }
}
