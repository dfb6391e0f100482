using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Opset;
using OnnxBuildTasks.Validation;
using static OnnxBuildTasks.Tests.Opset.OpsetTestKit;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Tests.Opset.Adapters;

/// <summary>
/// Opset 25 (type extension: INT2/UINT2 on Cast, Reshape, Transpose, ...) and 26 (new BitCast and
/// CumProd), each checked by running the converted model in ONNX Runtime 1.31.1.
/// </summary>
public class Opset25And26StepsTests
{
    private const DataType Int2 = (DataType)26;

    private static readonly Dictionary<string, HostTensor> X = new() { ["X"] = Random([2, 3, 4]) };

    private static ModelProto TypeExtendedOps(int opset) =>
        Model(opset, [F("X", 2, 3, 4)], [F("Y", 4, 6)],
        [
            Node("Transpose", ["X"], ["t"], Ints("perm", 2, 0, 1)),
            Node("Unsqueeze", ["t", "ax"], ["u"]),
            Node("Squeeze", ["u", "ax"], ["s"]),
            Node("Flatten", ["s"], ["f"], Int("axis", 1)),
            Node("Reshape", ["f", "shape"], ["r"]),
            Node("Identity", ["r"], ["i"]),
            Node("Cast", ["i"], ["Y"], Int("to", (long)DataType.Float)),
        ], [I64("ax", 0), I64("shape", 4, 6)]);

    [Theory]
    [InlineData(24, 25)]
    [InlineData(24, 26)]
    [InlineData(13, 26)]
    public void Type_extended_operators_run_at_25_and_26_and_come_back(int source, int target)
    {
        var there = AssertRoundTrip(TypeExtendedOps(source), target, X);
        Assert.Equal(13, there.IrVersion);
    }

    [Fact]
    public void An_int2_value_is_refused_below_25()
    {
        var m = Model(25, [F("X", 2, 3)], [new("Y", Int2, [2, 3])], [Node("Cast", ["X"], ["Y"], Int("to", (long)Int2))]);
        var e = Assert.Throws<OnnxBuildException>(() => OpsetConverter.Convert(m, 24));
        Assert.Equal(ErrorCodes.OpsetTypeNotInTarget, e.Code);
        Assert.Contains("Cast", e.Message);
        Assert.Contains("25", e.Message);
    }

    [Theory]
    [InlineData(0, 0, 25)]
    [InlineData(1, 0, 25)]
    [InlineData(0, 1, 13)]
    [InlineData(1, 1, 9)]
    public void CumProd_runs_at_26_and_unrolls_into_slices_and_products_below(int exclusive, int reverse, int target)
    {
        var m = Model(26, [F("X", 2, 3, 4)], [F("Y", 2, 3, 4)],
            [Node("CumProd", ["X", "axis"], ["Y"], Int("exclusive", exclusive), Int("reverse", reverse))], [I64Scalar("axis", -2)]);
        var x = Random([2, 3, 4]);
        var inputs = new Dictionary<string, HostTensor> { ["X"] = x };
        var y = Run(m, inputs)["Y"].ToDoubles();
        var xs = x.ToDoubles();
        for (int b = 0; b < 2; b++)
            for (int k = 0; k < 4; k++)
            {
                double p = 1;
                foreach (int j in reverse == 1 ? new[] { 2, 1, 0 } : [0, 1, 2])
                {
                    int at = b * 12 + j * 4 + k;
                    if (exclusive == 0) p *= xs[at];
                    Assert.Equal(p, y[at], 1e-5);
                    if (exclusive == 1) p *= xs[at];
                }
            }
        var there = AssertRoundTrip(m, target, inputs);
        Assert.DoesNotContain("CumProd", Ops(there));
        Assert.Contains("Concat", Ops(there));
    }

    [Fact]
    public void CumProd_over_an_axis_of_unknown_length_is_refused_below_26()
    {
        var m = Model(26, [F("X", 2, 3)], [F("Y", 2, 3)], [Node("CumProd", ["X", "axis"], ["Y"])], [I64Scalar("axis", 1)]);
        m.Graph.Input[0].Type.TensorType.Shape.Dim[1] = new TensorShapeProto.Types.Dimension { DimParam = "n" };
        var e = Assert.Throws<OnnxBuildException>(() => OpsetConverter.Convert(m, 25));
        Assert.Equal(ErrorCodes.OpsetValueNotExpressible, e.Code);
        Assert.Contains("CumProd", e.Message);
        Assert.Contains("axis 1", e.Message);
    }

    [Fact]
    public void BitCast_is_refused_below_26()
    {
        var m = Model(26, [F("X", 2, 3)], [new("Y", DataType.Int32, [2, 3])], [Node("BitCast", ["X"], ["Y"], Int("to", (long)DataType.Int32))]);
        var e = Assert.Throws<OnnxBuildException>(() => OpsetConverter.Convert(m, 25));
        Assert.Equal(ErrorCodes.OpsetOperatorMissingInTarget, e.Code);
        Assert.Contains("BitCast", e.Message);
    }

    private static TensorProto I64Scalar(string name, long v) => new() { Name = name, DataType = (int)DataType.Int64, Int64Data = { v } };
}
