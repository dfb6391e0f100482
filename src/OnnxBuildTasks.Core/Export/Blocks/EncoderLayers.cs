using OnnxBuildTasks.Export.Architectures;

namespace OnnxBuildTasks.Export.Blocks;

/// <summary>
/// The stack of transformer layers, post-norm (x = LN(x + Attn(x)); x = LN(x + FFN(x))) or pre-norm
/// (x = x + Attn(LN(x)); x = x + FFN(LN(x)), then an optional final norm). Layer weight names come from the
/// architecture's templates; ALBERT groups reuse one set of weights across layers.
/// </summary>
internal static class EncoderLayers
{
    public static string Build(EncoderContext ctx, string x, string additiveMask, string? positionBias, string maskFloat)
    {
        var g = ctx.Graph;
        var f = ctx.Facts.Layers;
        long hidden = ctx.HiddenSize;
        long intermediate = ctx.Config.IntermediateSize;
        string activation = ctx.Config.HiddenAct;
        int layer = 0;
        foreach (var names in LayerNames(ctx))
        {
            using var scope = g.Scope("layer." + layer++);
            string Name(string template) => ctx.Prefix + names(template);
            bool pre = f.Placement == NormPlacement.Pre;
            string attentionInput = pre ? ctx.LayerNorm(x, Name(f.AttentionNorm), hidden) : x;
            string attention = SelfAttention.Build(ctx, attentionInput,
                (Name(f.Query), Name(f.Key), Name(f.Value), Name(f.AttentionOutput)), additiveMask, positionBias);
            x = g.Op("Add", x, attention);
            if (!pre) x = ctx.LayerNorm(x, Name(f.AttentionNorm), hidden);

            string ffnInput = pre ? ctx.LayerNorm(x, Name(f.FeedForwardNorm), hidden) : x;
            string inner = ctx.Linear(ffnInput, Name(f.FeedForwardIn), hidden, intermediate, out _);
            inner = Activations.Apply(g, inner, activation, ctx.ComputeType, ctx.Item);
            string ffn = ctx.Linear(inner, Name(f.FeedForwardOut), intermediate, hidden, out _);
            x = g.Op("Add", x, ffn);
            if (!pre) x = ctx.LayerNorm(x, Name(f.FeedForwardNorm), hidden);
            if (ctx.Facts.ZeroPaddedPositions)
                x = g.Op("Mul", x, g.Unsqueeze(maskFloat, 2));
        }
        if (f.FinalNorm is { } finalNorm)
        {
            using var scope = g.Scope("final_norm");
            x = ctx.LayerNorm(x, ctx.Prefix + finalNorm, hidden);
        }
        return x;
    }

    // One template expander per computed layer.
    private static IEnumerable<Func<string, string>> LayerNames(EncoderContext ctx)
    {
        int layers = ctx.Config.NumHiddenLayers;
        if (ctx.Facts.Layers.Sharing == LayerSharing.None)
        {
            for (int i = 0; i < layers; i++)
            {
                string index = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                yield return t => t.Replace("{i}", index, StringComparison.Ordinal);
            }
            yield break;
        }
        int groups = ctx.Config.GetInt("num_hidden_groups", 1);
        int inner = ctx.Config.GetInt("inner_group_num", 1);
        int perGroup = Math.Max(1, layers / groups);
        for (int l = 0; l < layers; l++)
        {
            string group = (l / perGroup).ToString(System.Globalization.CultureInfo.InvariantCulture);
            for (int j = 0; j < inner; j++)
            {
                string innerIndex = j.ToString(System.Globalization.CultureInfo.InvariantCulture);
                yield return t => t.Replace("{g}", group, StringComparison.Ordinal).Replace("{j}", innerIndex, StringComparison.Ordinal);
            }
        }
    }
}
