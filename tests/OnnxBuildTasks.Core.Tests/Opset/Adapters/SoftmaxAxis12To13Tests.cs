using OnnxBuildTasks.Opset;
using OnnxBuildTasks.Validation;
using static OnnxBuildTasks.Tests.Opset.OpsetTestKit;

namespace OnnxBuildTasks.Tests.Opset.Adapters;

public class SoftmaxAxis12To13Tests
{
    private static readonly Dictionary<string, HostTensor> Inputs = new() { ["X"] = Random([2, 3, 4]) };

    [Theory]
    [InlineData("Softmax")]
    [InlineData("LogSoftmax")]
    [InlineData("Hardmax")]
    public void Opset12_coerced_axis_1_keeps_its_values_at_13_and_back(string op)
    {
        // axis=1 at opset 12 normalises over dims 1 and 2 together (2-D coercion).
        var m = Model(12, [F("X", 2, 3, 4)], [F("Y", 2, 3, 4)], [Node(op, ["X"], ["Y"], Int("axis", 1))]);
        var up = AssertRoundTrip(m, 13, Inputs);
        Assert.Contains("Flatten", Ops(up));
    }

    [Theory]
    [InlineData("Softmax")]
    [InlineData("LogSoftmax")]
    [InlineData("Hardmax")]
    public void Opset13_middle_axis_goes_down_through_a_transpose(string op)
    {
        var m = Model(13, [F("X", 2, 3, 4)], [F("Y", 2, 3, 4)], [Node(op, ["X"], ["Y"], Int("axis", 1))]);
        var down = AssertRoundTrip(m, 12, Inputs);
        Assert.Equal(["Transpose", op, "Transpose"], Ops(down));
        AssertRoundTrip(m, 10, Inputs);
    }

    [Fact]
    public void Default_axis_changes_meaning_and_is_written_explicitly()
    {
        var at13 = Model(13, [F("X", 2, 3, 4)], [F("Y", 2, 3, 4)], [Node("Softmax", ["X"], ["Y"])]);
        var down = AssertRoundTrip(at13, 12, Inputs);
        Assert.Equal(-1, down.Graph.Node.Single().Attribute.Single(a => a.Name == "axis").I);
        var at12 = Model(12, [F("X", 2, 3, 4)], [F("Y", 2, 3, 4)], [Node("Softmax", ["X"], ["Y"])]);
        AssertRoundTrip(at12, 13, Inputs);
    }

    [Fact]
    public void Middle_axis_without_a_declared_rank_is_refused_with_the_code()
    {
        var m = Model(13, [F("X", 2, 3, 4)], [F("Y", 2, 3, 4)], [Node("Softmax", ["X"], ["Y"], Int("axis", 1))]);
        m.Graph.Input[0].Type.TensorType.Shape = null;
        var e = Assert.Throws<Diagnostics.OnnxBuildException>(() => OpsetConverter.Convert(m, 12));
        Assert.Equal("OBT5006", e.Code);
        Assert.Contains("softmax_0", e.Message);
        Assert.Contains("13 to 12", e.Message);
    }
}
