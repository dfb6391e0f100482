using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Opset;
using OnnxBuildTasks.Validation;
using static OnnxBuildTasks.Tests.Opset.OpsetTestKit;

namespace OnnxBuildTasks.Tests.Opset.Adapters;

/// <summary>DFT 17 &lt;-&gt; 20 (axis attribute &lt;-&gt; input) and GroupNormalization 18 &lt;-&gt; 21 (per-group &lt;-&gt; per-channel scale).</summary>
public class SignalAndNormalizationStepsTests
{
    [Fact]
    public void Dft_axis_moves_between_attribute_and_input()
    {
        var m = Model(17, [F("X", 2, 8, 1)], [F("Y", 2, 8, 2)], [Node("DFT", ["X"], ["Y"], Int("axis", 1))]);
        var at20 = AssertRoundTrip(m, 20, new Dictionary<string, HostTensor> { ["X"] = Random([2, 8, 1]) }, atol: 1e-4);
        Assert.Equal(3, at20.Graph.Node.Single().Input.Count);
    }

    [Fact]
    public void GroupNormalization_scale_per_channel_folds_to_per_group_when_uniform_within_groups()
    {
        var m = Model(21, [F("X", 2, 4, 3)], [F("Y", 2, 4, 3)], [Node("GroupNormalization", ["X", "s", "b"], ["Y"], Int("num_groups", 2))],
            [F32("s", [4], 1.5f, 1.5f, 0.5f, 0.5f), F32("b", [4], 0.1f, 0.1f, -0.2f, -0.2f)]);
        var at18 = AssertRoundTrip(m, 18, new Dictionary<string, HostTensor> { ["X"] = Random([2, 4, 3]) });
        Assert.Equal([2L], at18.Graph.Initializer.Single(t => t.Name == at18.Graph.Node.Single().Input[1]).Dims);

        var mixed = Model(21, [F("X", 2, 4, 3)], [F("Y", 2, 4, 3)], [Node("GroupNormalization", ["X", "s", "b"], ["Y"], Int("num_groups", 2))],
            [F32("s", [4], 1f, 2f, 3f, 4f), F32("b", [4], 0, 0, 0, 0)]);
        Assert.Equal(ErrorCodes.OpsetValueNotExpressible, Assert.Throws<OnnxBuildException>(() => OpsetConverter.Convert(mixed, 18)).Code);
    }
}
