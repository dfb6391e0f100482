using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Export.Blocks;

/// <summary>
/// Multi-head self-attention: softmax(Q·Kᵀ/√d + bias + mask)·V, then the output projection. Scores are
/// computed in the compute type; bias, mask and softmax run in float32 (fp16 exports cast around them).
/// </summary>
internal static class SelfAttention
{
    /// <param name="ctx">Build context.</param>
    /// <param name="x">[batch, sequence, hidden].</param>
    /// <param name="modules">Query, key, value and output Linear modules.</param>
    /// <param name="additiveMask">[batch, 1, 1, sequence] float32: 0 where attended, the float32 minimum where masked.</param>
    /// <param name="positionBias">[1, heads, sequence, sequence] float32, or null.</param>
    public static string Build(EncoderContext ctx, string x, (string Q, string K, string V, string O) modules, string additiveMask, string? positionBias)
    {
        var g = ctx.Graph;
        long hidden = ctx.HiddenSize, heads = ctx.Heads, headSize = hidden / heads;
        string SplitHeads(string t) => g.Transpose(g.Op("Reshape", t, g.Int64s([0, 0, heads, headSize])), 0, 2, 1, 3);

        string q = SplitHeads(ctx.Linear(x, modules.Q, hidden, hidden, out _));
        string k = g.Transpose(g.Op("Reshape", ctx.Linear(x, modules.K, hidden, hidden, out _), g.Int64s([0, 0, heads, headSize])), 0, 2, 3, 1);
        string v = SplitHeads(ctx.Linear(x, modules.V, hidden, hidden, out _));

        string scores = g.Op("Div", g.Op("MatMul", q, k), g.Float(MathF.Sqrt(headSize), ctx.ComputeType));
        if (ctx.ComputeType != DataType.Float)
            scores = g.Cast(scores, DataType.Float);
        if (positionBias is not null)
            scores = g.Op("Add", scores, positionBias);
        string probs = g.Softmax(g.Op("Add", scores, additiveMask));
        if (ctx.ComputeType != DataType.Float)
            probs = g.Cast(probs, ctx.ComputeType);

        string context = g.Op("Reshape", g.Transpose(g.Op("MatMul", probs, v), 0, 2, 1, 3), g.Int64s([0, 0, hidden]));
        return ctx.Linear(context, modules.O, hidden, hidden, out _);
    }

    /// <summary>[batch, 1, 1, sequence] float32 additive mask from an int64 attention_mask: (1 − mask) · float32.MinValue.</summary>
    public static string AdditiveMask(GraphBuilder g, string attentionMask)
    {
        string inverted = g.Op("Sub", g.Float(1f), g.Cast(attentionMask, DataType.Float));
        return g.Unsqueeze(g.Op("Mul", inverted, g.Float(float.MinValue)), 1, 2);
    }
}
