using OnnxBuildTasks.Diagnostics;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Export.Blocks;

/// <summary>The activations transformers names in configs (ACT2FN), emitted for the target opset.</summary>
internal static class Activations
{
    // name -> emitter (graph, input, element type)
    private static readonly Dictionary<string, Func<GraphBuilder, string, DataType, string>> Table = new(StringComparer.Ordinal)
    {
        ["gelu"] = (g, x, t) => g.Gelu(x, tanhApproximation: false, t),
        ["gelu_python"] = (g, x, t) => g.Gelu(x, tanhApproximation: false, t),
        ["gelu_10"] = (g, x, t) => g.Op("Clip", g.Gelu(x, tanhApproximation: false, t), g.Float(-10f, t), g.Float(10f, t)),
        ["gelu_new"] = (g, x, t) => g.Gelu(x, tanhApproximation: true, t),
        ["gelu_accurate"] = (g, x, t) => g.Gelu(x, tanhApproximation: true, t),
        ["gelu_pytorch_tanh"] = (g, x, t) => g.Gelu(x, tanhApproximation: true, t),
        ["gelu_fast"] = (g, x, t) => g.Gelu(x, tanhApproximation: true, t),
        ["quick_gelu"] = (g, x, t) => g.Op("Mul", x, g.Op("Sigmoid", g.Op("Mul", x, g.Float(1.702f, t)))),
        ["relu"] = (g, x, _) => g.Op("Relu", x),
        ["relu2"] = (g, x, _) => Square(g, g.Op("Relu", x)),
        ["relu6"] = (g, x, t) => g.Op("Clip", x, g.Float(0f, t), g.Float(6f, t)),
        ["leaky_relu"] = (g, x, _) => g.Op("LeakyRelu", [x], Attr.Float("alpha", 0.01f)), // nn.LeakyReLU's default slope
        ["mish"] = (g, x, _) => g.Op("Mul", x, g.Op("Tanh", g.Op("Softplus", x))),
        ["laplace"] = Laplace,
        ["tanh"] = (g, x, _) => g.Op("Tanh", x),
        ["sigmoid"] = (g, x, _) => g.Op("Sigmoid", x),
        ["silu"] = (g, x, _) => g.Op("Mul", x, g.Op("Sigmoid", x)),
        ["swish"] = (g, x, _) => g.Op("Mul", x, g.Op("Sigmoid", x)),
        ["linear"] = (_, x, _) => x,
    };

    private static string Square(GraphBuilder g, string x) => g.Op("Mul", x, x);

    // transformers' LaplaceActivation with its defaults mu = 0.707107, sigma = 0.282095: 0.5 (1 + erf((x - mu) / (sigma sqrt 2))).
    private static string Laplace(GraphBuilder g, string x, DataType t)
    {
        string z = g.Op("Div", g.Op("Sub", x, g.Float(0.707107f, t)), g.Float(0.282095f * MathF.Sqrt(2f), t));
        return g.Op("Mul", g.Op("Add", g.Op("Erf", z), g.Float(1f, t)), g.Float(0.5f, t));
    }

    /// <summary>Names accepted by <see cref="Apply"/>.</summary>
    public static IEnumerable<string> Names => Table.Keys.Order(StringComparer.Ordinal);

    /// <summary>Applies activation <paramref name="name"/> (null means identity); unknown names are an <see cref="ErrorCodes.ExportUnsupportedActivation"/> error.</summary>
    public static string Apply(GraphBuilder g, string x, string? name, DataType type, string item)
    {
        if (name is null) return x;
        if (Table.TryGetValue(name, out var emit)) return emit(g, x, type);
        throw new OnnxBuildException(ErrorCodes.ExportUnsupportedActivation,
            $"{item}: activation '{name}' in config.json is not supported. Supported: {string.Join(", ", Names)}.");
    }
}
