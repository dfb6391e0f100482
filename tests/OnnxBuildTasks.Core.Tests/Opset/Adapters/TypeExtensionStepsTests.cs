using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Opset;
using OnnxBuildTasks.Validation;
using static OnnxBuildTasks.Tests.Opset.OpsetTestKit;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Tests.Opset.Adapters;

/// <summary>
/// Operators whose steps are type extensions (and attribute additions with defaults) go from
/// opset 9 to 21 and back, through every step in between, with ORT outputs unchanged.
/// </summary>
public class TypeExtensionStepsTests
{
    private static readonly Dictionary<string, HostTensor> Two = new() { ["X"] = Random([3, 4]), ["Z"] = Random([3, 4], seed: 11) };

    [Theory]
    [InlineData("Abs")] [InlineData("Ceil")] [InlineData("Exp")] [InlineData("Floor")] [InlineData("Neg")]
    [InlineData("Reciprocal")] [InlineData("Relu")] [InlineData("Sigmoid")] [InlineData("Sign")] [InlineData("Tanh")]
    [InlineData("Erf")] [InlineData("Identity")] [InlineData("LeakyRelu")] [InlineData("Softplus")] [InlineData("Softsign")]
    [InlineData("HardSigmoid")] [InlineData("Elu")] [InlineData("Selu")] [InlineData("Cos")] [InlineData("Atan")]
    [InlineData("Sqrt")] [InlineData("Log")] [InlineData("Sinh")] [InlineData("Asinh")] [InlineData("IsNaN")]
    public void Unary_operator_walks_9_to_21_and_back(string op)
    {
        var outType = op == "IsNaN" ? DataType.Bool : DataType.Float;
        var m = Model(9, [F("X", 3, 4)], [new("Y", outType, [3, 4])], [Node(op, ["X"], ["Y"])]);
        AssertRoundTrip(m, 21, Two);
    }

    [Theory]
    [InlineData("Add")] [InlineData("Sub")] [InlineData("Mul")] [InlineData("Div")] [InlineData("Pow")] [InlineData("Max")]
    [InlineData("Min")] [InlineData("Mean")] [InlineData("Sum")] [InlineData("PRelu")] [InlineData("MatMul")]
    [InlineData("Greater")] [InlineData("Less")]
    public void Binary_operator_walks_9_to_21_and_back(string op)
    {
        var outType = op is "Greater" or "Less" ? DataType.Bool : DataType.Float;
        var shape = op == "MatMul" ? new long[] { 3, 3 } : [3, 4];
        var m = Model(9, [F("X", 3, 4), F("Z", 4, 3)], [new("Y", outType, shape)],
            [op == "MatMul" ? Node(op, ["X", "Zt"], ["Y"]) : Node(op, ["X", "Zr"], ["Y"]),
             op == "MatMul" ? Node("Transpose", ["Z"], ["Zt"], Ints("perm", 0, 1)) : Node("Transpose", ["Z"], ["Zr"])]);
        (m.Graph.Node[0], m.Graph.Node[1]) = (m.Graph.Node[1], m.Graph.Node[0]);
        var inputs = new Dictionary<string, HostTensor> { ["X"] = Random([3, 4]), ["Z"] = Random([4, 3], seed: 5) };
        AssertRoundTrip(m, 21, inputs);
    }

    [Fact]
    public void Shape_ops_walk_9_to_21_and_back()
    {
        var m = Model(9, [F("X", 2, 3, 4)], [F("Y", 4, 6)],
        [
            Node("Transpose", ["X"], ["t"], Ints("perm", 2, 0, 1)),
            Node("Flatten", ["t"], ["f"], Int("axis", 1)),
            Node("Concat", ["f", "f"], ["c"], Int("axis", 0)),
            Node("Reshape", ["c", "shape"], ["r"]),
            Node("Gather", ["r", "idx"], ["g"], Int("axis", 0)),
            Node("Tile", ["g", "reps"], ["Y"]),
        ], [I64("shape", 4, 12), I64("idx", 0, 1, 2, 3), I64("reps", 1, 1)]);
        m.Graph.Output[0] = Value(F("Y", 4, 12), true);
        AssertRoundTrip(m, 21, new Dictionary<string, HostTensor> { ["X"] = Random([2, 3, 4]) });
    }

    [Fact]
    public void Shape_start_end_at_15_becomes_shape_and_slice_below()
    {
        var m = Model(15, [F("X", 2, 3, 4)], [new("Y", DataType.Int64, [2])], [Node("Shape", ["X"], ["Y"], Int("start", 1))]);
        var at14 = AssertRoundTrip(m, 14, new Dictionary<string, HostTensor> { ["X"] = Random([2, 3, 4]) });
        Assert.Equal(["Shape", "Slice"], Ops(at14));
    }

    [Fact]
    public void Reshape_allowzero_without_zeros_drops_the_attribute_and_with_zeros_is_refused()
    {
        var ok = Model(14, [F("X", 2, 3)], [F("Y", 3, 2)], [Node("Reshape", ["X", "s"], ["Y"], Int("allowzero", 1))], [I64("s", 3, 2)]);
        AssertRoundTrip(ok, 13, new Dictionary<string, HostTensor> { ["X"] = Random([2, 3]) });
        var zero = Model(14, [F("X", 2, 3)], [F("Y", 2, 3)], [Node("Reshape", ["X", "s"], ["Y"], Int("allowzero", 1))], [I64("s", 0, 3)]);
        Assert.Equal(Diagnostics.ErrorCodes.OpsetValueNotExpressible, Assert.Throws<Diagnostics.OnnxBuildException>(() => OpsetConverter.Convert(zero, 13)).Code);
    }

    [Fact]
    public void Gemm_without_c_gets_a_zero_c_below_11()
    {
        var m = Model(13, [F("X", 3, 4), F("Z", 4, 3)], [F("Y", 3, 3)], [Node("Gemm", ["X", "Z"], ["Y"], Float("alpha", 0.5f))]);
        var at9 = AssertRoundTrip(m, 9, new Dictionary<string, HostTensor> { ["X"] = Random([3, 4]), ["Z"] = Random([4, 3], seed: 2) });
        Assert.Equal(3, at9.Graph.Node.Single().Input.Count);
    }

    [Fact]
    public void Integer_min_is_computed_in_double_below_12()
    {
        var m = Model(13, [new("A", DataType.Int64, [4]), new("B", DataType.Int64, [4])], [new("Y", DataType.Int64, [4])], [Node("Min", ["A", "B"], ["Y"])]);
        var inputs = new Dictionary<string, HostTensor> { ["A"] = HostTensor.Int64([4], [1, -5, 30, 7]), ["B"] = HostTensor.Int64([4], [2, -6, 3, 7]) };
        var at11 = AssertRoundTrip(m, 11, inputs);
        Assert.Equal(["Cast", "Cast", "Min", "Cast"], Ops(at11));
        Assert.Contains(OpsetConverter.Convert(m, 11).Report.Notes, n => n.Contains("double"));
    }
}
