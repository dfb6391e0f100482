using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Validation;
using static OnnxBuildTasks.Tests.Opset.OpsetTestKit;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Tests.Opset.Decompositions;

/// <summary>Operators newer than the target are decomposed into older ones; ORT runs both forms.</summary>
public class DecompositionTests
{
    private static Dictionary<string, HostTensor> X(params long[] shape) => new() { ["X"] = Random(shape) };

    [Theory]
    [InlineData(-1, 16)]
    [InlineData(-1, 13)]
    [InlineData(-1, 11)]
    [InlineData(1, 13)]
    [InlineData(-2, 12)]
    public void LayerNormalization_becomes_reduce_mean_arithmetic(long axis, int target)
    {
        var scaleShape = axis is 1 or -2 ? new long[] { 3, 8 } : [8];
        int n = (int)scaleShape.Aggregate(1L, (a, b) => a * b);
        var r = new Random(3);
        var m = Model(17, [F("X", 2, 3, 8)], [F("Y", 2, 3, 8)],
            [Node("LayerNormalization", ["X", "scale", "bias"], ["Y"], Int("axis", axis), Float("epsilon", 1e-5f))],
            [F32("scale", scaleShape, Enumerable.Range(0, n).Select(_ => (float)r.NextDouble() + 0.5f).ToArray()),
             F32("bias", scaleShape, Enumerable.Range(0, n).Select(_ => (float)r.NextDouble() - 0.5f).ToArray())]);
        var down = AssertRoundTrip(m, target, X(2, 3, 8));
        Assert.DoesNotContain("LayerNormalization", Ops(down));
        Assert.Equal(["ReduceMean", "Sub", "Pow", "ReduceMean", "Add", "Sqrt", "Div", "Mul", "Add"], Ops(down));
    }

    [Fact]
    public void LayerNormalization_mean_and_inverse_std_outputs_are_kept()
    {
        var m = Model(17, [F("X", 2, 4)], [F("Y", 2, 4), F("Mean", 2, 1), F("InvStd", 2, 1)],
            [Node("LayerNormalization", ["X", "scale"], ["Y", "Mean", "InvStd"])], [F32("scale", [4], 1, 2, 3, 4)]);
        AssertRoundTrip(m, 16, X(2, 4));
    }

    [Theory]
    [InlineData("none", 19)]
    [InlineData("none", 13)]
    [InlineData("tanh", 19)]
    [InlineData("tanh", 11)]
    public void Gelu_becomes_its_erf_or_tanh_form(string approximate, int target)
    {
        var m = Model(20, [F("X", 3, 5)], [F("Y", 3, 5)], [Node("Gelu", ["X"], ["Y"], Str("approximate", approximate))]);
        var down = AssertRoundTrip(m, target, X(3, 5));
        Assert.Contains(approximate == "tanh" ? "Tanh" : "Erf", Ops(down));
    }

    [Theory]
    [InlineData("HardSwish", 13)]
    [InlineData("Mish", 17)]
    [InlineData("Celu", 11)]
    public void Activations_decompose(string op, int target)
    {
        var m = Model(18, [F("X", 3, 5)], [F("Y", 3, 5)], [Node(op, ["X"], ["Y"])]);
        var down = AssertRoundTrip(m, target, X(3, 5));
        Assert.DoesNotContain(op, Ops(down));
    }

    [Theory]
    [InlineData(1f, 23)]
    [InlineData(0.5f, 13)]
    public void Swish_becomes_x_times_sigmoid(float alpha, int target)
    {
        var m = Model(24, [F("X", 3, 5)], [F("Y", 3, 5)], [Node("Swish", ["X"], ["Y"], Float("alpha", alpha))]);
        var down = AssertRoundTrip(m, target, X(3, 5));
        Assert.Contains("Sigmoid", Ops(down));
    }

    [Theory]
    [InlineData(22)]
    [InlineData(17)]
    [InlineData(13)]
    public void RmsNormalization_becomes_reduce_mean_of_squares(int target)
    {
        var m = Model(23, [F("X", 2, 3, 8)], [F("Y", 2, 3, 8)],
            [Node("RMSNormalization", ["X", "scale"], ["Y"], Float("epsilon", 1e-6f))], [F32("scale", [8], 1, 2, 3, 4, 0.5f, 0.25f, -1, 1.5f)]);
        var down = AssertRoundTrip(m, target, X(2, 3, 8));
        Assert.DoesNotContain("RMSNormalization", Ops(down));
    }

    [Theory]
    [InlineData("GreaterOrEqual")]
    [InlineData("LessOrEqual")]
    public void Comparisons_with_equality_decompose_exactly(string op)
    {
        var m = Model(16, [F("X", 6), F("Z", 6)], [new("Y", DataType.Bool, [6])], [Node(op, ["X", "Z"], ["Y"])]);
        var inputs = new Dictionary<string, HostTensor>
        {
            ["X"] = HostTensor.Float([6], [1, 2, 3, float.NaN, -1, 0]),
            ["Z"] = HostTensor.Float([6], [1, 3, 2, 1, -1, float.NaN]),
        };
        var down = AssertRoundTrip(m, 11, inputs);
        Assert.Contains("Or", Ops(down));
    }

    [Fact]
    public void CastLike_becomes_a_cast_to_the_declared_type()
    {
        var m = Model(15, [F("X", 4), new("L", DataType.Int64, [1])], [new("Y", DataType.Int64, [4])], [Node("CastLike", ["X", "L"], ["Y"])]);
        var inputs = new Dictionary<string, HostTensor> { ["X"] = HostTensor.Float([4], [1.5f, -2, 3, 0]), ["L"] = HostTensor.Int64([1], [0]) };
        var down = AssertRoundTrip(m, 14, inputs);
        Assert.Equal("Cast", down.Graph.Node.Single().OpType);
        Assert.Equal((long)DataType.Int64, down.Graph.Node.Single().Attribute.Single().I);
    }
}
