using OnnxBuildTasks.Export;
using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Validation;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Tests.Export;

public class GraphBuilderTests
{
    public static TheoryData<int> Opsets => new() { 11, 13, 14, 17, 18, 20, GraphBuilder.MaxOpset };

    private static readonly float[] Values = [-2.5f, -1f, -0.25f, 0f, 0.3f, 1.2f, 2f, 3.5f];

    [Theory]
    [MemberData(nameof(Opsets))]
    public void LayerNormMatchesTheDefinition(int opset)
    {
        var g = new GraphBuilder(opset, "ln");
        g.Input("x", DataType.Float, "batch", 4);
        string scale = g.Weight("scale", DataType.Float, [4], Floats([1f, 2f, 0.5f, -1f]));
        string bias = g.Weight("bias", DataType.Float, [4], Floats([0f, 0.1f, -0.2f, 0.3f]));
        g.Output(g.LayerNorm("x", scale, bias, 1e-5f), "y", DataType.Float, "batch", 4);
        var y = Run(g, "x", [2, 4], Values);

        float[] expected = new float[8];
        float[] s = [1f, 2f, 0.5f, -1f], b = [0f, 0.1f, -0.2f, 0.3f];
        for (int r = 0; r < 2; r++)
        {
            var row = Values.AsSpan(r * 4, 4).ToArray();
            double mean = row.Average(v => (double)v);
            double variance = row.Average(v => (v - mean) * (v - mean));
            for (int c = 0; c < 4; c++)
                expected[r * 4 + c] = (float)((row[c] - mean) / Math.Sqrt(variance + 1e-5) * s[c] + b[c]);
        }
        AssertClose(expected, y);
        Assert.Equal(opset >= 17, g.Graph.Node.Any(n => n.OpType == "LayerNormalization"));
    }

    [Theory]
    [MemberData(nameof(Opsets))]
    public void GeluErfAndTanhFormsMatchTheirDefinitions(int opset)
    {
        foreach (bool tanh in new[] { false, true })
        {
            var g = new GraphBuilder(opset, "gelu");
            g.Input("x", DataType.Float, "n");
            g.Output(g.Gelu("x", tanh), "y", DataType.Float, "n");
            var y = Run(g, "x", [8], Values);
            var expected = Values.Select(v => tanh
                ? (float)(0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))))
                : (float)(0.5 * v * (1 + ReferenceMath.Erf(v / Math.Sqrt(2))))).ToArray();
            AssertClose(expected, y);
            Assert.Equal(opset >= 20, g.Graph.Node.Any(n => n.OpType == "Gelu"));
        }
    }

    [Theory]
    [MemberData(nameof(Opsets))]
    public void AxesOperatorsUseTheFormOfTheOpset(int opset)
    {
        // x [2,4] -> unsqueeze(0) [1,2,4] -> reduce mean over axis 2 (keep) [1,2,1] -> squeeze(0,2) [2]
        // and split x on axis 1 into [1,3]: output the 3-wide part.
        var g = new GraphBuilder(opset, "axes");
        g.Input("x", DataType.Float, 2, 4);
        string u = g.Unsqueeze("x", 0);
        string m = g.ReduceMean(u, [2]);
        g.Output(g.Squeeze(m, 0, 2), "mean", DataType.Float, 2);
        var parts = g.Split("x", 1, 1, 3);
        g.Output(parts[1], "tail", DataType.Float, 2, 3);
        g.Output(g.Softmax("x"), "softmax", DataType.Float, 2, 4);

        var outputs = OrtRunner.Run(g.ToModel(inlineWeights: true, "test"), new Dictionary<string, HostTensor> { ["x"] = HostTensor.Float([2, 4], Values) });
        AssertClose([Values[..4].Average(), Values[4..].Average()], (float[])outputs["mean"].Data);
        AssertClose([.. Values[1..4], .. Values[5..8]], (float[])outputs["tail"].Data);
        var softmax = (float[])outputs["softmax"].Data;
        for (int r = 0; r < 2; r++)
        {
            var row = Values.AsSpan(r * 4, 4).ToArray();
            double sum = row.Sum(v => Math.Exp(v));
            AssertClose(row.Select(v => (float)(Math.Exp(v) / sum)).ToArray(), softmax.AsSpan(r * 4, 4).ToArray());
        }
        var squeeze = g.Graph.Node.Single(n => n.OpType == "Squeeze");
        Assert.Equal(opset < 13 ? 1 : 2, squeeze.Input.Count);
        var reduce = g.Graph.Node.Single(n => n.OpType == "ReduceMean");
        Assert.Equal(opset < 18 ? 1 : 2, reduce.Input.Count);
    }

    [Fact]
    public void IdenticalCallsBuildIdenticalBytesAndConstantsAreShared()
    {
        byte[] Build()
        {
            var g = new GraphBuilder(18, "det");
            g.Input("x", DataType.Float, "n");
            g.Output(g.Gelu(g.Gelu("x", false), false), "y", DataType.Float, "n");
            return Google.Protobuf.MessageExtensions.ToByteArray(g.ToModel(true, "1"));
        }
        Assert.Equal(Build(), Build());
        var g2 = new GraphBuilder(11, "shared");
        Assert.Same(g2.Int64s([1, 2]), g2.Int64s([1, 2]));
        Assert.NotEqual(g2.Int64s([1, 2]), g2.Int64s([2, 1]));
    }

    [Fact]
    public void RejectsOpsetsOutsideTheSupportedRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GraphBuilder(GraphBuilder.MinOpset - 1, "x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GraphBuilder(GraphBuilder.MaxOpset + 1, "x"));
    }

    internal static StreamedWeight Floats(float[] values)
    {
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return new StreamedWeight(() => bytes, SourceElement.Float32, [values.Length], DataType.Float, transpose: false);
    }

    private static float[] Run(GraphBuilder g, string input, long[] shape, float[] data)
    {
        var outputs = OrtRunner.Run(g.ToModel(inlineWeights: true, "test"), new Dictionary<string, HostTensor> { [input] = HostTensor.Float(shape, data) });
        return (float[])outputs.Values.Single().Data;
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {actual[i]}");
    }
}
