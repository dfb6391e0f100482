using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Opset;
using OnnxBuildTasks.Validation;
using static OnnxBuildTasks.Tests.Opset.OpsetTestKit;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Tests.Opset.Adapters;

/// <summary>Scatter/ScatterElements, Constant value_*, QuantizeLinear axis, GridSample modes, RoiAlign coordinates.</summary>
public class RenamedAndAttributeStepsTests
{
    [Fact]
    public void Scatter9_becomes_scatter_elements_at_11_and_back()
    {
        var m = Model(9, [F("X", 2, 3)], [F("Y", 2, 3)], [Node("Scatter", ["X", "idx", "upd"], ["Y"], Int("axis", 1))],
            [I64Shaped("idx", [2, 1], 2, 0), F32("upd", [2, 1], 9, 8)]);
        var at11 = AssertRoundTrip(m, 11, new Dictionary<string, HostTensor> { ["X"] = Random([2, 3]) });
        Assert.Equal("ScatterElements", at11.Graph.Node.Single().OpType);
        var back = OpsetConverter.Convert(at11, 10).Model;
        Assert.Equal("Scatter", back.Graph.Node.Single().OpType);
    }

    [Fact]
    public void Constant_value_floats_become_a_value_tensor_below_12()
    {
        var m = Model(12, [F("X", 3)], [F("Y", 3)], [Node("Constant", [], ["c"], Floats("value_floats", 1, 2, 3)), Node("Add", ["X", "c"], ["Y"])]);
        var at11 = AssertRoundTrip(m, 11, new Dictionary<string, HostTensor> { ["X"] = Random([3]) });
        Assert.Equal("value", at11.Graph.Node[0].Attribute.Single().Name);
    }

    [Fact]
    public void Per_tensor_quantize_goes_below_13_and_per_axis_is_refused()
    {
        var perTensor = Model(13, [F("X", 2, 3)], [new("Y", DataType.Uint8, [2, 3])], [Node("QuantizeLinear", ["X", "s", "z"], ["Y"], Int("axis", 1))],
            [F32("s", [], 0.05f), new TensorProto { Name = "z", DataType = (int)DataType.Uint8, RawData = Google.Protobuf.ByteString.CopyFrom(128) }]);
        AssertRoundTrip(perTensor, 12, new Dictionary<string, HostTensor> { ["X"] = Random([2, 3]) });
        var perAxis = Model(13, [F("X", 2, 3)], [new("Y", DataType.Uint8, [2, 3])], [Node("QuantizeLinear", ["X", "s"], ["Y"], Int("axis", 1))],
            [F32("s", [3], 0.05f, 0.1f, 0.2f)]);
        Assert.Equal(ErrorCodes.OpsetValueNotExpressible, Assert.Throws<OnnxBuildException>(() => OpsetConverter.Convert(perAxis, 12)).Code);
    }

    [Fact]
    public void GridSample_mode_names_change_at_20()
    {
        var m = Model(16, [F("X", 1, 1, 3, 3), F("G", 1, 2, 2, 2)], [F("Y", 1, 1, 2, 2)], [Node("GridSample", ["X", "G"], ["Y"], Str("mode", "bilinear"))]);
        var inputs = new Dictionary<string, HostTensor> { ["X"] = Random([1, 1, 3, 3]), ["G"] = HostTensor.Float([1, 2, 2, 2], [-0.5f, -0.5f, 0.5f, -0.25f, 0.1f, 0.3f, 0.9f, 0.9f]) };
        var at20 = AssertRoundTrip(m, 20, inputs);
        Assert.Equal("linear", at20.Graph.Node.Single().Attribute.Single(a => a.Name == "mode").S.ToStringUtf8());
    }

    [Fact]
    public void RoiAlign10_keeps_output_half_pixel_at_16_and_half_pixel_is_refused_below()
    {
        var m = Model(10, [F("X", 1, 1, 4, 4), F("R", 1, 4)], [F("Y", 1, 1, 2, 2)],
            [Node("RoiAlign", ["X", "R", "b"], ["Y"], Int("output_height", 2), Int("output_width", 2), Int("sampling_ratio", 2))],
            [I64("b", 0)]);
        var inputs = new Dictionary<string, HostTensor> { ["X"] = Random([1, 1, 4, 4]), ["R"] = HostTensor.Float([1, 4], [0.5f, 0.5f, 3f, 2.5f]) };
        var at16 = AssertRoundTrip(m, 16, inputs);
        Assert.Equal("output_half_pixel", at16.Graph.Node.Single().Attribute.Single(a => a.Name == "coordinate_transformation_mode").S.ToStringUtf8());
        var halfPixel = Model(16, [F("X", 1, 1, 4, 4), F("R", 1, 4)], [F("Y", 1, 1, 2, 2)],
            [Node("RoiAlign", ["X", "R", "b"], ["Y"], Int("output_height", 2), Int("output_width", 2))], [I64("b", 0)]);
        Assert.Equal(ErrorCodes.OpsetValueNotExpressible, Assert.Throws<OnnxBuildException>(() => OpsetConverter.Convert(halfPixel, 15)).Code);
    }

    private static TensorProto I64Shaped(string name, long[] dims, params long[] v)
    {
        var t = I64(name, v);
        t.Dims.Clear();
        t.Dims.AddRange(dims);
        return t;
    }
}
