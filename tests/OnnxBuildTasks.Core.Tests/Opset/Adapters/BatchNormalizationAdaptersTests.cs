using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Opset;
using OnnxBuildTasks.Validation;
using static OnnxBuildTasks.Tests.Opset.OpsetTestKit;

namespace OnnxBuildTasks.Tests.Opset.Adapters;

/// <summary>BatchNormalization 8 &lt;-&gt; 9 (spatial) &lt;-&gt; 14 (training_mode) &lt;-&gt; 15 (types).</summary>
public class BatchNormalizationAdaptersTests
{
    private static readonly Dictionary<string, HostTensor> Inputs = new() { ["X"] = Random([2, 3, 4]) };

    private static ModelProto Bn(int opset, params AttributeProto[] attrs) =>
        Model(opset, [F("X", 2, 3, 4)], [F("Y", 2, 3, 4)], [Node("BatchNormalization", ["X", "s", "b", "m", "v"], ["Y"], attrs)],
            [F32("s", [3], 1.5f, 0.5f, 2f), F32("b", [3], 0.1f, -0.2f, 0.3f), F32("m", [3], 0.2f, 0.1f, -0.1f), F32("v", [3], 1f, 2f, 0.5f)]);

    [Fact]
    public void Inference_node_converts_across_every_step()
    {
        var m = Bn(13, Float("epsilon", 1e-3f));
        foreach (var target in new[] { 14, 15, 21, 9, 8 })
            AssertRoundTrip(m, target, Inputs);
    }

    [Fact]
    public void Training_mode_is_refused_below_14()
    {
        var e = Assert.Throws<OnnxBuildException>(() => OpsetConverter.Convert(Bn(15, Int("training_mode", 1)), 13));
        Assert.Equal(ErrorCodes.OpsetValueNotExpressible, e.Code);
        Assert.Contains("from opset 14 to 13", e.Message);
    }

    [Fact]
    public void Spatial_zero_is_refused_going_up()
    {
        var e = Assert.Throws<OnnxBuildException>(() => OpsetConverter.Convert(Bn(8, Int("spatial", 0)), 9));
        Assert.Equal(ErrorCodes.OpsetValueNotExpressible, e.Code);
    }
}
