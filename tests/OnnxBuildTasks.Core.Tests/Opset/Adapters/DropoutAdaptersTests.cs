using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Opset;
using OnnxBuildTasks.Validation;
using static OnnxBuildTasks.Tests.Opset.OpsetTestKit;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Tests.Opset.Adapters;

/// <summary>Dropout 7 &lt;-&gt; 10 (bool mask) &lt;-&gt; 12 (ratio/training_mode inputs).</summary>
public class DropoutAdaptersTests
{
    private static readonly Dictionary<string, HostTensor> Inputs = new() { ["X"] = Random([2, 3]) };

    [Fact]
    public void Ratio_moves_to_an_input_and_the_mask_keeps_its_values()
    {
        var m = Model(11, [F("X", 2, 3)], [F("Y", 2, 3), new("M", DataType.Bool, [2, 3])],
            [Node("Dropout", ["X"], ["Y", "M"], Float("ratio", 0.3f))]);
        // ONNX specifies the inference-mode mask (all true) only from opset 12, and ORT's opset-10
        // kernel returns a different one, so the mask is compared only where both sides specify it.
        string[] mask = ["M"];
        var at12 = AssertRoundTrip(m, 12, Inputs, unspecifiedOutputs: mask);
        Assert.Equal(2, at12.Graph.Node.Single().Input.Count);
        AssertRoundTrip(m, 13, Inputs, unspecifiedOutputs: mask);
        var at9 = AssertRoundTrip(m, 9, Inputs);
        Assert.Contains("Cast", Ops(at9));
    }

    [Fact]
    public void Training_mode_true_is_refused_below_12()
    {
        var m = Model(12, [F("X", 2, 3)], [F("Y", 2, 3)], [Node("Dropout", ["X", "r", "t"], ["Y"])], [F32("r", [], 0.5f), Bool("t", true)]);
        var e = Assert.Throws<OnnxBuildException>(() => OpsetConverter.Convert(m, 11));
        Assert.Equal(ErrorCodes.OpsetValueNotExpressible, e.Code);
    }

    [Fact]
    public void Training_mode_false_folds_away()
    {
        var m = Model(12, [F("X", 2, 3)], [F("Y", 2, 3)], [Node("Dropout", ["X", "r", "t"], ["Y"])], [F32("r", [], 0.5f), Bool("t", false)]);
        var at11 = AssertRoundTrip(m, 11, Inputs);
        Assert.Single(at11.Graph.Node.Single().Input);
    }
}
