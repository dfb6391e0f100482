using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Opset;
using OnnxBuildTasks.Validation;
using static OnnxBuildTasks.Tests.Opset.OpsetTestKit;

namespace OnnxBuildTasks.Tests.Opset.Adapters;

/// <summary>Split 12 (split attribute) &lt;-&gt; 13 (split input) &lt;-&gt; 18 (num_outputs).</summary>
public class SplitAdaptersTests
{
    [Fact]
    public void Split_attribute_moves_to_an_input_at_13_and_survives_18()
    {
        var m = Model(12, [F("X", 2, 4)], [F("A", 2, 1), F("B", 2, 3)], [Node("Split", ["X"], ["A", "B"], Int("axis", 1), Ints("split", 1, 3))]);
        var inputs = new Dictionary<string, HostTensor> { ["X"] = Random([2, 4]) };
        var at13 = AssertRoundTrip(m, 13, inputs);
        Assert.Equal(2, at13.Graph.Node.Single().Input.Count);
        AssertRoundTrip(m, 18, inputs);
        AssertRoundTrip(m, 10, inputs);
    }

    [Fact]
    public void Uneven_num_outputs_at_18_becomes_constant_split_sizes_below()
    {
        // 7 over 3 outputs: 3, 3, 1 (opset 18 gives the last output the remainder).
        var m = Model(18, [F("X", 2, 7)], [F("A", 2, 3), F("B", 2, 3), F("C", 2, 1)],
            [Node("Split", ["X"], ["A", "B", "C"], Int("axis", 1), Int("num_outputs", 3))]);
        var inputs = new Dictionary<string, HostTensor> { ["X"] = Random([2, 7]) };
        var at17 = AssertRoundTrip(m, 17, inputs);
        Assert.DoesNotContain(at17.Graph.Node.Single().Attribute, a => a.Name == "num_outputs");
        var at12 = AssertRoundTrip(m, 12, inputs);
        Assert.Equal([3L, 3, 1], at12.Graph.Node.Single().Attribute.Single(a => a.Name == "split").Ints);
    }

    [Fact]
    public void Num_outputs_on_an_undeclared_dimension_is_computed_at_run_time_and_refused_below_13()
    {
        var m = Model(18, [F("X", 2, 7)], [F("A", 2, 3), F("B", 2, 3), F("C", 2, 1)],
            [Node("Split", ["X"], ["A", "B", "C"], Int("axis", 1), Int("num_outputs", 3))], declareOutputShapes: false);
        m.Graph.Input[0].Type.TensorType.Shape = null;
        var inputs = new Dictionary<string, HostTensor> { ["X"] = Random([2, 7]) };
        var at17 = AssertRoundTrip(m, 17, inputs);
        Assert.Contains("Shape", Ops(at17));
        var e = Assert.Throws<OnnxBuildException>(() => OpsetConverter.Convert(m, 12));
        Assert.Equal(ErrorCodes.OpsetNonConstantInput, e.Code);
        Assert.Contains("from opset 13 to 12", e.Message);
    }
}
