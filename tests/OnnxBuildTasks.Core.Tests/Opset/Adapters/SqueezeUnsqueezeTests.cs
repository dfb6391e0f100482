using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Opset;
using OnnxBuildTasks.Validation;
using static OnnxBuildTasks.Tests.Opset.OpsetTestKit;

namespace OnnxBuildTasks.Tests.Opset.Adapters;

/// <summary>Unsqueeze/Squeeze 10 &lt;-&gt; 11 (negative axes) &lt;-&gt; 13 (axes input).</summary>
public class SqueezeUnsqueezeTests
{
    private static readonly Dictionary<string, HostTensor> Inputs = new() { ["X"] = Random([2, 3]) };

    [Fact]
    public void Unsqueeze_then_squeeze_convert_across_11_and_13()
    {
        var m = Model(12, [F("X", 2, 3)], [F("Y", 2, 3), F("U", 1, 2, 3, 1)],
        [
            Node("Unsqueeze", ["X"], ["U"], Ints("axes", 0, -1)),
            Node("Squeeze", ["U"], ["Y"], Ints("axes", 0, 3)),
        ]);
        var at13 = AssertRoundTrip(m, 13, Inputs);
        Assert.All(at13.Graph.Node, n => Assert.Equal(2, n.Input.Count));
        var at10 = AssertRoundTrip(m, 10, Inputs);
        Assert.Equal([0L, 3], at10.Graph.Node[0].Attribute.Single(a => a.Name == "axes").Ints);
        AssertRoundTrip(m, 21, Inputs);
    }

    [Fact]
    public void Squeeze13_without_axes_stays_without_axes()
    {
        var m = Model(13, [F("X", 1, 3)], [F("Y", 3)], [Node("Squeeze", ["X"], ["Y"])]);
        var at12 = AssertRoundTrip(m, 12, new Dictionary<string, HostTensor> { ["X"] = Random([1, 3]) });
        Assert.Empty(at12.Graph.Node.Single().Attribute);
    }

    [Fact]
    public void Computed_unsqueeze_axes_are_refused_and_nothing_is_returned()
    {
        var m = Model(13, [F("X", 2, 3), new("axes", OnnxBuildTasks.Onnx.TensorProto.Types.DataType.Int64, [1])], [F("Y", 2, 1, 3)],
            [Node("Unsqueeze", ["X", "axes"], ["Y"])]);
        var e = Assert.Throws<OnnxBuildException>(() => OpsetConverter.Convert(m, 12));
        Assert.Equal(ErrorCodes.OpsetNonConstantInput, e.Code);
        Assert.Contains("'unsqueeze_0' (Unsqueeze)", e.Message);
        Assert.Contains("from opset 13 to 12", e.Message);
        Assert.Equal(13, m.OpsetImport.Single().Version); // the input model is untouched
    }
}
