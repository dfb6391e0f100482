using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Export;

// Operators whose signature changed between opsets: each helper emits the form of the target opset.
public sealed partial class GraphBuilder
{
    /// <summary>Unsqueeze: axes are an attribute before opset 13 and an input from 13.</summary>
    public string Unsqueeze(string x, params long[] axes) => Opset < 13
        ? Op("Unsqueeze", [x], Attr.Ints("axes", axes))
        : Op("Unsqueeze", x, Int64s(axes));

    /// <summary>Squeeze: axes are an attribute before opset 13 and an input from 13.</summary>
    public string Squeeze(string x, params long[] axes) => Opset < 13
        ? Op("Squeeze", [x], Attr.Ints("axes", axes))
        : Op("Squeeze", x, Int64s(axes));

    /// <summary>ReduceMean: axes are an attribute before opset 18 and an input from 18.</summary>
    public string ReduceMean(string x, long[] axes, bool keepDims = true) => Opset < 18
        ? Op("ReduceMean", [x], Attr.Ints("axes", axes), Attr.Int("keepdims", keepDims ? 1 : 0))
        : Op("ReduceMean", [x, Int64s(axes)], Attr.Int("keepdims", keepDims ? 1 : 0));

    /// <summary>
    /// Split into parts of the given sizes: sizes are the "split" attribute before opset 13 and an input from 13
    /// (opset 18 also accepts num_outputs; explicit sizes stay valid).
    /// </summary>
    public string[] Split(string x, long axis, params long[] sizes) => Opset < 13
        ? Ops("Split", [x], sizes.Length, Attr.Int("axis", axis), Attr.Ints("split", sizes))
        : Ops("Split", [x, Int64s(sizes)], sizes.Length, Attr.Int("axis", axis));

    /// <summary>
    /// Layer normalization over the last axis: the LayerNormalization operator from opset 17, below that its
    /// decomposition (mean, centred variance, divide by the square root of variance + epsilon, scale, shift).
    /// </summary>
    public string LayerNorm(string x, string scale, string bias, float epsilon, DataType type = DataType.Float)
    {
        if (Opset >= 17)
            return Op("LayerNormalization", [x, scale, bias], Attr.Int("axis", -1), Attr.Float("epsilon", epsilon));
        string mean = ReduceMean(x, [-1]);
        string centred = Op("Sub", x, mean);
        string variance = ReduceMean(Op("Mul", centred, centred), [-1]);
        string std = Op("Sqrt", Op("Add", variance, Float(epsilon, type)));
        return Op("Add", Op("Mul", Op("Div", centred, std), scale), bias);
    }

    /// <summary>
    /// GELU: the Gelu operator from opset 20 (approximate "none" or "tanh"); below that the erf form
    /// x·½·(1+erf(x/√2)) or the tanh form ½·x·(1+tanh(√(2/π)·(x+0.044715·x³))).
    /// </summary>
    public string Gelu(string x, bool tanhApproximation, DataType type = DataType.Float)
    {
        if (Opset >= 20)
            return Op("Gelu", [x], Attr.String("approximate", tanhApproximation ? "tanh" : "none"));
        if (!tanhApproximation)
        {
            string erf = Op("Erf", Op("Div", x, Float(MathF.Sqrt(2f), type)));
            return Op("Mul", Op("Mul", x, Float(0.5f, type)), Op("Add", erf, Float(1f, type)));
        }
        string cube = Op("Mul", Op("Mul", x, x), x);
        string inner = Op("Mul", Op("Add", x, Op("Mul", cube, Float(0.044715f, type))), Float(MathF.Sqrt(2f / MathF.PI), type));
        return Op("Mul", Op("Mul", x, Float(0.5f, type)), Op("Add", Op("Tanh", inner), Float(1f, type)));
    }

    /// <summary>Softmax over the last axis (before opset 13 the 2-D coercion at the last axis computes the same).</summary>
    public string Softmax(string x) => Op("Softmax", [x], Attr.Int("axis", -1));

    /// <summary>Cast to <paramref name="to"/>.</summary>
    public string Cast(string x, DataType to) => Op("Cast", [x], Attr.Int("to", (long)to));

    /// <summary>Transpose with an explicit permutation.</summary>
    public string Transpose(string x, params long[] perm) => Op("Transpose", [x], Attr.Ints("perm", perm));

    /// <summary>Gather along <paramref name="axis"/>.</summary>
    public string Gather(string data, string indices, long axis = 0) => Op("Gather", [data, indices], Attr.Int("axis", axis));

    /// <summary>Concat along <paramref name="axis"/>.</summary>
    public string Concat(long axis, params string[] inputs) => Op("Concat", inputs, Attr.Int("axis", axis));

    /// <summary>Slice of one axis, [start, end).</summary>
    public string Slice(string x, long axis, long start, long end) =>
        Op("Slice", x, Int64s([start]), Int64s([end]), Int64s([axis]));

    /// <summary>Dimension <paramref name="axis"/> of x's shape, as a 1-element int64 tensor.</summary>
    public string DimOf(string x, long axis) => Gather(Op("Shape", x), Int64s([axis]));

    /// <summary>x·Wᵀ + b for a Linear layer whose weight is stored already transposed ([in, out]).</summary>
    public string Linear(string x, string weightInOut, string? bias)
    {
        string y = Op("MatMul", x, weightInOut);
        return bias is null ? y : Op("Add", y, bias);
    }
}
