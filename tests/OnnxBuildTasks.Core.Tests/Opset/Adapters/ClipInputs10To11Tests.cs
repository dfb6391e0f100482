using OnnxBuildTasks.Validation;
using static OnnxBuildTasks.Tests.Opset.OpsetTestKit;

namespace OnnxBuildTasks.Tests.Opset.Adapters;

public class ClipInputs10To11Tests
{
    private static readonly Dictionary<string, HostTensor> Inputs = new() { ["X"] = Random([3, 4]) };

    [Fact]
    public void Min_and_max_attributes_become_inputs_and_back()
    {
        var m = Model(10, [F("X", 3, 4)], [F("Y", 3, 4)], [Node("Clip", ["X"], ["Y"], Float("min", -0.5f), Float("max", 0.75f))]);
        var at11 = AssertRoundTrip(m, 11, Inputs);
        Assert.Equal(3, at11.Graph.Node.Single().Input.Count);
        AssertRoundTrip(m, 13, Inputs);
    }

    [Fact]
    public void Max_only_keeps_min_empty()
    {
        var m = Model(13, [F("X", 3, 4)], [F("Y", 3, 4)], [Node("Clip", ["X", "", "hi"], ["Y"])], [F32("hi", [], 0.5f)]);
        var at10 = AssertRoundTrip(m, 10, Inputs);
        Assert.DoesNotContain(at10.Graph.Node.Single().Attribute, a => a.Name == "min");
    }
}
