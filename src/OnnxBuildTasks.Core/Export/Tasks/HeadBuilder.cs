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

    private static string? ActivationName(EncoderContext ctx, Activation a)
    {
        if (!a.FromConfig) return a.Name;
        return a.Name == "hidden_act" ? ctx.Config.HiddenAct : ctx.Config.GetString(a.Name);
    }
}
