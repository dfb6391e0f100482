using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Export;
using OnnxBuildTasks.Export.Blocks;
using OnnxBuildTasks.Validation;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Tests.Export.Blocks;

/// <summary>Every activation name config.json may hold (transformers' ACT2FN) against its definition in transformers.</summary>
public class ActivationsTests
{
    private static readonly float[] Values = [-12f, -6.5f, -2.5f, -1f, -0.25f, 0f, 0.3f, 0.707107f, 1.2f, 2f, 3.5f, 7f, 12f];

    private static double Gelu(double x) => 0.5 * x * (1 + ReferenceMath.Erf(x / Math.Sqrt(2)));
    private static double GeluTanh(double x) => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static readonly Dictionary<string, Func<double, double>> Definitions = new()
    {
        ["gelu"] = Gelu,
        ["gelu_python"] = Gelu,
        ["gelu_10"] = x => Math.Clamp(Gelu(x), -10, 10),
        ["gelu_new"] = GeluTanh,
        ["gelu_accurate"] = GeluTanh,
        ["gelu_fast"] = GeluTanh,
        ["gelu_pytorch_tanh"] = GeluTanh,
        ["quick_gelu"] = x => x * Sigmoid(1.702 * x),
        ["relu"] = x => Math.Max(0, x),
        ["relu2"] = x => Math.Max(0, x) * Math.Max(0, x),
        ["relu6"] = x => Math.Clamp(x, 0, 6),
        ["leaky_relu"] = x => x >= 0 ? x : 0.01 * x,
        ["mish"] = x => x * Math.Tanh(Math.Log(1 + Math.Exp(x))),
        ["laplace"] = x => 0.5 * (1 + ReferenceMath.Erf((x - 0.707107) / (0.282095 * Math.Sqrt(2)))),
        ["tanh"] = Math.Tanh,
        ["sigmoid"] = Sigmoid,
        ["silu"] = x => x * Sigmoid(x),
        ["swish"] = x => x * Sigmoid(x),
        ["linear"] = x => x,
    };

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in Definitions.Keys)
            foreach (int opset in new[] { 11, 17, GraphBuilder.MaxOpset })
                data.Add(name, opset);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ActivationMatchesTransformersDefinition(string name, int opset)
    {
        var g = new GraphBuilder(opset, "act");
        g.Input("x", DataType.Float, "n");
        g.Output(Activations.Apply(g, "x", name, DataType.Float, "item"), "y", DataType.Float, "n");
        var outputs = OrtRunner.Run(g.ToModel(inlineWeights: true, "test"), new Dictionary<string, HostTensor> { ["x"] = HostTensor.Float([Values.Length], Values) });
        var y = (float[])outputs["y"].Data;
        for (int i = 0; i < Values.Length; i++)
        {
            double expected = Definitions[name](Values[i]);
            Assert.True(Math.Abs(expected - y[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"{name}({Values[i]}) = {y[i]}, expected {expected}");
        }
    }

    [Fact]
    public void EveryNameTheTableAcceptsIsChecked() => Assert.Equal(Definitions.Keys.Order(StringComparer.Ordinal), Activations.Names);

    [Theory]
    [InlineData("prelu")]   // a learned slope the checkpoint would have to carry
    [InlineData("xielu")]
    public void ActivationsWithParametersAreCodedErrors(string name)
    {
        var g = new GraphBuilder(18, "act");
        g.Input("x", DataType.Float, "n");
        var e = Assert.Throws<OnnxBuildException>(() => Activations.Apply(g, "x", name, DataType.Float, "item-under-test"));
        Assert.Equal(ErrorCodes.ExportUnsupportedActivation, e.Code);
        Assert.Contains(name, e.Message);
        Assert.Contains("item-under-test", e.Message);
    }
}
