using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Opset;
using OnnxBuildTasks.Validation;
using static OnnxBuildTasks.Tests.Opset.OpsetTestKit;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Tests.Opset.Adapters;

/// <summary>TopK 9 (k attribute) &lt;-&gt; 10 (k input) &lt;-&gt; 11 (largest/sorted).</summary>
public class TopKAdaptersTests
{
    private static readonly Dictionary<string, HostTensor> Inputs = new() { ["X"] = Random([3, 6]) };

    [Fact]
    public void K_moves_to_an_input_and_back()
    {
        var m = Model(9, [F("X", 3, 6)], [F("V", 3, 2), new("I", DataType.Int64, [3, 2])], [Node("TopK", ["X"], ["V", "I"], Int("k", 2))]);
        var at10 = AssertRoundTrip(m, 10, Inputs);
        Assert.Equal(2, at10.Graph.Node.Single().Input.Count);
        AssertRoundTrip(m, 11, Inputs);
        AssertRoundTrip(m, 21, Inputs);
    }

    [Fact]
    public void Smallest_k_is_refused_below_11()
    {
        var m = Model(11, [F("X", 3, 6)], [F("V", 3, 2), new("I", DataType.Int64, [3, 2])],
            [Node("TopK", ["X", "k"], ["V", "I"], Int("largest", 0))], [I64("k", 2)]);
        Assert.Equal(ErrorCodes.OpsetValueNotExpressible, Assert.Throws<OnnxBuildException>(() => OpsetConverter.Convert(m, 10)).Code);
    }
}
