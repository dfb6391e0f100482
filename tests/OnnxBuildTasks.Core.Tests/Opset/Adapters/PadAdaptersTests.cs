using OnnxBuildTasks.Validation;
using static OnnxBuildTasks.Tests.Opset.OpsetTestKit;

namespace OnnxBuildTasks.Tests.Opset.Adapters;

/// <summary>Pad 10 (attributes) &lt;-&gt; 11 (pads/value inputs) &lt;-&gt; 18 (axes input).</summary>
public class PadAdaptersTests
{
    private static readonly Dictionary<string, HostTensor> Inputs = new() { ["X"] = Random([2, 3]) };

    [Theory]
    [InlineData("constant")]
    [InlineData("reflect")]
    [InlineData("edge")]
    public void Attributes_become_inputs_and_back(string mode)
    {
        var m = Model(10, [F("X", 2, 3)], [F("Y", 4, 5)],
            [Node("Pad", ["X"], ["Y"], Ints("pads", 1, 1, 1, 1), Float("value", 1.5f), Str("mode", mode))]);
        var at11 = AssertRoundTrip(m, 11, Inputs);
        Assert.True(at11.Graph.Node.Single().Input.Count >= 2);
        AssertRoundTrip(m, 18, Inputs);
        AssertRoundTrip(m, 21, Inputs);
    }

    [Fact]
    public void Axes_input_expands_to_full_pads_below_18()
    {
        var m = Model(18, [F("X", 2, 3)], [F("Y", 2, 6)],
            [Node("Pad", ["X", "pads", "v", "axes"], ["Y"])],
            [I64("pads", 2, 1), F32("v", [], 0.25f), I64("axes", -1)]);
        var at17 = AssertRoundTrip(m, 17, Inputs);
        Assert.Equal(3, at17.Graph.Node.Single().Input.Count);
        var at10 = AssertRoundTrip(m, 10, Inputs);
        Assert.Equal([0L, 2, 0, 1], at10.Graph.Node.Single().Attribute.Single(a => a.Name == "pads").Ints);
    }
}
