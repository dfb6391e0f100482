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
                    x = g.Squeeze(g.Slice(x, 1, 0, 1), 1);
                    break;
                case SequenceSummary summary:
                    x = Summarize(ctx, x, summary, ref width);
                    break;
                case Dense d:
                {
                    var (w, b, _, o) = ctx.Weights.Linear(d.Module, width, null, d.Bias);
                    x = g.Linear(x, w, b);
                    width = o;
                    break;
                }
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

    // transformers' SequenceSummary.forward without a cls_index (how the XLM and ELECTRA heads call it); dropout is a no-op.
    private static string Summarize(EncoderContext ctx, string x, SequenceSummary summary, ref long width)
    {
        var g = ctx.Graph;
        string type = ctx.Config.GetString("summary_type") ?? "first";
        x = type switch
        {
            "first" => g.Squeeze(g.Slice(x, 1, 0, 1), 1),
            "last" or "cls_index" => g.Squeeze(g.Slice(x, 1, -1, long.MaxValue), 1),
            "mean" => g.ReduceMean(x, [1], keepDims: false),
            _ => throw new OnnxBuildException(ErrorCodes.ExportConfigInvalid,
                $"{ctx.Item}: config.json sets summary_type = {type}, which the native exporter does not implement (it supports first, last, mean or cls_index). " +
                "Use an ONNX file published with the model (File metadata) instead."),
        };
        if (ctx.Config.GetBool("summary_use_proj", true))
        {
            var (w, b, _, o) = ctx.Weights.Linear(summary.Module + ".summary", width, null, bias: true);
            x = g.Linear(x, w, b);
            width = o;
        }
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
