using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Opset;
using OnnxBuildTasks.Validation;
using static OnnxBuildTasks.Tests.Opset.OpsetTestKit;

namespace OnnxBuildTasks.Tests.Opset.Adapters;

/// <summary>Reduce* 12 &lt;-&gt; 13 (ReduceSum axes input) &lt;-&gt; 18 (the others' axes input).</summary>
public class ReduceAxesTests
{
    private static readonly Dictionary<string, HostTensor> Inputs = new() { ["X"] = Random([2, 3, 4]) };

    [Theory]
    [InlineData("ReduceSum", 13)]
    [InlineData("ReduceMean", 18)]
    [InlineData("ReduceMax", 18)]
    [InlineData("ReduceL2", 18)]
    [InlineData("ReduceLogSumExp", 18)]
    public void Axes_attribute_and_input_convert_both_ways(string op, int moveAt)
    {
        var m = Model(12, [F("X", 2, 3, 4)], [F("Y", 2, 4)], [Node(op, ["X"], ["Y"], Ints("axes", -2), Int("keepdims", 0))]);
        var moved = AssertRoundTrip(m, moveAt, Inputs);
        Assert.Equal(2, moved.Graph.Node.Single().Input.Count);
        AssertRoundTrip(m, 21, Inputs);
        AssertRoundTrip(m, 10, Inputs); // negative axis rewritten with the rank
    }

    [Fact]
    public void Computed_axes_cannot_become_an_attribute()
    {
        // axes = Shape(X)[0:1] - 1 -> [1], computed at run time.
        var m = Model(18, [F("X", 2, 3, 4)], [F("Y", 2, 4)],
        [
            Node("Shape", ["X"], ["s"]),
            Node("Slice", ["s", "zero", "one"], ["first"]),
            Node("Sub", ["first", "one"], ["axes"]),
            Node("ReduceMean", ["X", "axes"], ["Y"], Int("keepdims", 0)),
        ], [I64("zero", 0), I64("one", 1)]);
        Assert.Equal([2, 4], Run(m, Inputs)["Y"].Shape);
        var e = Assert.Throws<OnnxBuildException>(() => OpsetConverter.Convert(m, 17));
        Assert.Equal(ErrorCodes.OpsetNonConstantInput, e.Code);
        Assert.Contains("reducemean_0", e.Message);
        Assert.Contains("ReduceMean", e.Message);
        Assert.Contains("from opset 18 to 17", e.Message);
    }
}
