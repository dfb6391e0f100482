using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Export.Blocks;

/// <summary>
/// MPNet's relative attention bias: relative distances (key − query) bucketed like T5 (bidirectional,
/// 32 buckets, max distance 128, half the buckets exact and the rest logarithmic), looked up in a
/// [buckets, heads] table and laid out as [1, heads, sequence, sequence]. Computed once, shared by every layer.
/// </summary>
internal static class RelativePositionBias
{
    // 32 whatever config.json's relative_attention_num_buckets says (it only sizes the table): MPNetEncoder.forward
    // calls compute_position_bias without passing it, so transformers buckets with that method's default.
    private const int Buckets = 32;
    private const int MaxDistance = 128;

    public static string Build(EncoderContext ctx, string inputIds, string tableName)
    {
        var g = ctx.Graph;
        using var scope = g.Scope("relative_position_bias");
        string table = ctx.Weights.Table(ctx.Prefix + tableName, null, ctx.Heads, DataType.Float);
        string length = Embeddings.SequenceLength(g, inputIds);
        string range = g.Op("Range", g.Int64s([0], []), length, g.Int64s([1], []));
        // relative = memory − context: [1, S] − [S, 1] = [S, S]; n = −relative = context − memory
        string n = g.Op("Sub", g.Unsqueeze(range, 1), g.Unsqueeze(range, 0));

        const long half = Buckets / 2, maxExact = half / 2;
        string bucket = g.Op("Mul", g.Cast(g.Op("Less", n, g.Int64s([0], [])), DataType.Int64), g.Int64s([half], []));
        string distance = g.Op("Abs", n);
        string isSmall = g.Op("Less", distance, g.Int64s([maxExact], []));
        // max_exact + log(n / max_exact) / log(max_distance / max_exact) · (half − max_exact), capped at half − 1, truncated
        // (in float: integer Max/Min need opset 12; the value is non-negative, so truncating after adding max_exact is the same)
        string safe = g.Op("Max", g.Cast(distance, DataType.Float), g.Float(1f));
        string scaled = g.Op("Mul",
            g.Op("Div", g.Op("Log", g.Op("Div", safe, g.Float(maxExact))), g.Float((float)Math.Log((double)MaxDistance / maxExact))),
            g.Float(half - maxExact));
        string large = g.Cast(g.Op("Min", g.Op("Add", scaled, g.Float(maxExact)), g.Float(half - 1)), DataType.Int64);
        bucket = g.Op("Add", bucket, g.Op("Where", isSmall, distance, large));

        // [S, S, heads] -> [heads, S, S] -> [1, heads, S, S]
        return g.Unsqueeze(g.Transpose(g.Gather(table, bucket), 2, 0, 1), 0);
    }
}
