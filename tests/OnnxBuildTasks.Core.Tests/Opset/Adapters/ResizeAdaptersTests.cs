using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Opset;
using OnnxBuildTasks.Validation;
using static OnnxBuildTasks.Tests.Opset.OpsetTestKit;

namespace OnnxBuildTasks.Tests.Opset.Adapters;

/// <summary>Upsample 7 &lt;-&gt; 9 &lt;-&gt; Resize 10 &lt;-&gt; 11 &lt;-&gt; 13 &lt;-&gt; 18 &lt;-&gt; 19.</summary>
public class ResizeAdaptersTests
{
    private static readonly Dictionary<string, HostTensor> Inputs = new() { ["X"] = Random([1, 1, 2, 3]) };

    [Theory]
    [InlineData("nearest")]
    [InlineData("linear")]
    public void Resize10_walks_every_resize_step_and_back(string mode)
    {
        var m = Model(10, [F("X", 1, 1, 2, 3)], [F("Y", 1, 1, 4, 6)],
            [Node("Resize", ["X", "scales"], ["Y"], Str("mode", mode))], [F32("scales", [4], 1, 1, 2, 2)]);
        foreach (var target in new[] { 11, 13, 18, 19, 21 })
            AssertRoundTrip(m, target, Inputs);
        var at11 = OpsetConverter.Convert(m, 11).Model.Graph.Node.Single();
        Assert.Equal(3, at11.Input.Count); // X, roi, scales
        Assert.Equal("asymmetric", at11.Attribute.Single(a => a.Name == "coordinate_transformation_mode").S.ToStringUtf8());
    }

    [Fact]
    public void Upsample7_becomes_resize_and_comes_back()
    {
        var m = Model(7, [F("X", 1, 1, 2, 3)], [F("Y", 1, 1, 4, 6)],
            [Node("Upsample", ["X"], ["Y"], Floats("scales", 1, 1, 2, 2), Str("mode", "nearest"))]);
        var at9 = AssertRoundTrip(m, 9, Inputs);
        Assert.Equal(2, at9.Graph.Node.Single().Input.Count);
        var at10 = AssertRoundTrip(m, 10, Inputs);
        Assert.Equal("Resize", at10.Graph.Node.Single().OpType);
        AssertRoundTrip(m, 13, Inputs);
        var back = OpsetConverter.Convert(at10, 7).Model.Graph.Node.Single();
        Assert.Equal("Upsample", back.OpType);
    }

    [Fact]
    public void Resize13_with_sizes_and_no_roi_gets_empty_tensors_at_11()
    {
        var m = Model(13, [F("X", 1, 1, 2, 3)], [F("Y", 1, 1, 4, 6)],
            [Node("Resize", ["X", "", "", "sizes"], ["Y"], Str("mode", "nearest"))], [I64("sizes", 1, 1, 4, 6)]);
        var at11 = AssertRoundTrip(m, 11, Inputs);
        Assert.All(at11.Graph.Node.Single().Input, i => Assert.NotEqual("", i));
        var e = Assert.Throws<OnnxBuildException>(() => OpsetConverter.Convert(m, 10));
        Assert.Equal(ErrorCodes.OpsetValueNotExpressible, e.Code);
    }

    [Fact]
    public void Half_pixel_sampling_has_no_resize10_form()
    {
        var m = Model(13, [F("X", 1, 1, 2, 3)], [F("Y", 1, 1, 4, 6)],
            [Node("Resize", ["X", "", "scales"], ["Y"], Str("mode", "linear"))], [F32("scales", [4], 1, 1, 2, 2)]);
        AssertRoundTrip(m, 19, Inputs);
        var e = Assert.Throws<OnnxBuildException>(() => OpsetConverter.Convert(m, 10));
        Assert.Equal(ErrorCodes.OpsetValueNotExpressible, e.Code);
        Assert.Contains("half_pixel", e.Message);
        Assert.Contains("from opset 11 to 10", e.Message);
    }

    [Fact]
    public void Resize18_antialias_and_resize19_half_pixel_symmetric_are_refused_below()
    {
        var aa = Model(18, [F("X", 1, 1, 2, 3)], [F("Y", 1, 1, 4, 6)],
            [Node("Resize", ["X", "", "scales"], ["Y"], Str("mode", "linear"), Int("antialias", 1))], [F32("scales", [4], 1, 1, 2, 2)]);
        Assert.Equal(ErrorCodes.OpsetValueNotExpressible, Assert.Throws<OnnxBuildException>(() => OpsetConverter.Convert(aa, 17)).Code);
        var sym = Model(19, [F("X", 1, 1, 2, 3)], [F("Y", 1, 1, 4, 6)],
            [Node("Resize", ["X", "", "scales"], ["Y"], Str("mode", "linear"), Str("coordinate_transformation_mode", "half_pixel_symmetric"))],
            [F32("scales", [4], 1, 1, 2, 2)]);
        AssertRoundTrip(sym, 21, Inputs);
        Assert.Equal(ErrorCodes.OpsetValueNotExpressible, Assert.Throws<OnnxBuildException>(() => OpsetConverter.Convert(sym, 18)).Code);
    }
}
