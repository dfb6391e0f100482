using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Opset;
using OnnxBuildTasks.Validation;
using static OnnxBuildTasks.Tests.Opset.OpsetTestKit;

namespace OnnxBuildTasks.Tests.Opset.Adapters;

/// <summary>Slice 9 (attributes) &lt;-&gt; 10 (inputs, steps) &lt;-&gt; 11 (negative axes).</summary>
public class SliceAdaptersTests
{
    private static readonly Dictionary<string, HostTensor> Inputs = new() { ["X"] = Random([3, 5]) };

    [Fact]
    public void Attributes_become_inputs_and_back()
    {
        var m = Model(9, [F("X", 3, 5)], [F("Y", 2, 3)],
            [Node("Slice", ["X"], ["Y"], Ints("starts", 1, 1), Ints("ends", 3, 4), Ints("axes", 0, 1))]);
        var at10 = AssertRoundTrip(m, 10, Inputs);
        Assert.Equal(4, at10.Graph.Node.Single().Input.Count);
        AssertRoundTrip(m, 13, Inputs);
    }

    [Fact]
    public void Negative_axes_are_rewritten_below_11()
    {
        var m = Model(13, [F("X", 3, 5)], [F("Y", 3, 2)], [Node("Slice", ["X", "s", "e", "a"], ["Y"])],
            [I64("s", 1), I64("e", 3), I64("a", -1)]);
        var at9 = AssertRoundTrip(m, 9, Inputs);
        Assert.Equal([1L], at9.Graph.Node.Single().Attribute.Single(a => a.Name == "axes").Ints);
    }

    [Fact]
    public void Steps_other_than_one_are_refused_below_10()
    {
        var m = Model(13, [F("X", 3, 5)], [F("Y", 3, 3)], [Node("Slice", ["X", "s", "e", "a", "st"], ["Y"])],
            [I64("s", 0), I64("e", 5), I64("a", 1), I64("st", 2)]);
        AssertRoundTrip(m, 10, Inputs);
        var e = Assert.Throws<OnnxBuildException>(() => OpsetConverter.Convert(m, 9));
        Assert.Equal(ErrorCodes.OpsetValueNotExpressible, e.Code);
    }
}
