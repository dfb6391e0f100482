using OnnxBuildTasks.Export.Architectures;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Export.Blocks;

/// <summary>
/// Word + position (+ token type) embeddings, layer norm, optional projection to the hidden size.
/// Positions are learned tables indexed by 0..n-1, or by RoBERTa's padding-offset ids
/// (pad + running count of non-pad tokens, pad itself for pad tokens).
/// </summary>
internal static class Embeddings
{
    /// <param name="ctx">Build context.</param>
    /// <param name="inputIds">[batch, sequence] int64.</param>
    /// <param name="tokenTypeIds">[batch, sequence] int64, or null when the architecture has no token-type input.</param>
    /// <param name="maskFloat">[batch, sequence] attention mask as the compute type (for architectures that zero padded positions).</param>
    /// <param name="wordTable">The word-embedding initializer (reused by tied output projections).</param>
    public static string Build(EncoderContext ctx, string inputIds, string? tokenTypeIds, string maskFloat, out string wordTable)
    {
        var g = ctx.Graph;
        var f = ctx.Facts.Embeddings;
        string p = ctx.Prefix;
        long embeddingSize = f.EmbeddingSizeKey is { } key ? ctx.Config.GetInt(key, (int)ctx.HiddenSize) : ctx.HiddenSize;
        using var scope = g.Scope("embeddings");

        wordTable = ctx.Weights.Table(p + f.Words, ctx.Config.VocabSize, embeddingSize);
        string x = g.Gather(wordTable, inputIds);

        string positionTable = f.SinusoidalFlag is { } flag && ctx.Config.GetBool(flag, false) && !ctx.Weights.Has(p + f.Positions)
            ? SinusoidalTable(ctx, p + f.Positions, ctx.Config.MaxPositionEmbeddings, embeddingSize)
            : ctx.Weights.Table(p + f.Positions, null, embeddingSize);
        string positions = f.PositionKind switch
        {
            PositionKind.Absolute => g.Gather(positionTable, g.Op("Range", g.Int64s([0], []), SequenceLength(g, inputIds), g.Int64s([1], []))),
            _ => g.Gather(positionTable, PaddingOffsetPositions(ctx, inputIds)),
        };
        x = g.Op("Add", x, positions);

        switch (f.TokenTypes)
        {
            case TokenTypeKind.Input:
                x = g.Op("Add", x, g.Gather(ctx.Weights.Table(p + f.TokenTypeTable!, null, embeddingSize), tokenTypeIds!));
                break;
            case TokenTypeKind.ZeroRow:
                x = g.Op("Add", x, g.Gather(ctx.Weights.Table(p + f.TokenTypeTable!, null, embeddingSize), g.Int64s([0], [])));
                break;
            case TokenTypeKind.WordEmbeddings:
                x = g.Op("Add", x, g.Gather(wordTable, tokenTypeIds!));
                break;
        }

        if (f.Norm is { } norm)
            x = ctx.LayerNorm(x, p + norm, embeddingSize);
        if (ctx.Facts.ZeroPaddedPositions)
            x = g.Op("Mul", x, g.Unsqueeze(maskFloat, 2));
        if (f.Projection is { } projection && (f.ProjectAlways || embeddingSize != ctx.HiddenSize))
            x = ctx.Linear(x, p + projection, embeddingSize, ctx.HiddenSize, out _);
        return x;
    }

    /// <summary>
    /// The fixed sinusoidal table transformers fills at init: angle(pos, j) = pos / 10000^(2·⌊j/2⌋/dim),
    /// sin for even j, cos for odd j.
    /// </summary>
    private static string SinusoidalTable(EncoderContext ctx, string name, long positions, long dim)
    {
        var values = new float[positions * dim];
        for (long pos = 0; pos < positions; pos++)
            for (long j = 0; j < dim; j++)
            {
                double angle = pos / Math.Pow(10000, 2.0 * (j / 2) / dim);
                values[pos * dim + j] = (float)(j % 2 == 0 ? Math.Sin(angle) : Math.Cos(angle));
            }
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        var data = new StreamedWeight(() => bytes, SourceElement.Float32, [positions, dim], ctx.ComputeType, transpose: false);
        return ctx.Graph.Weight(name, ctx.ComputeType, data.Shape, data);
    }

    /// <summary>The sequence length of a [batch, sequence] tensor as an int64 scalar.</summary>
    public static string SequenceLength(GraphBuilder g, string ids) => g.Gather(g.Op("Shape", ids), g.Int64s([1], []));

    private static string PaddingOffsetPositions(EncoderContext ctx, string inputIds)
    {
        var g = ctx.Graph;
        long pad = ctx.Facts.Embeddings.FixedPaddingIndex ?? ctx.Config.PadTokenId ?? 1;
        string notPad = g.Cast(g.Op("Not", g.Op("Equal", inputIds, g.Int64s([pad], []))), DataType.Int64);
        string counted = g.Op("Mul", g.Op("CumSum", notPad, g.Int64s([1], [])), notPad);
        return g.Op("Add", counted, g.Int64s([pad], []));
    }
}
