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
        ["gelu_new"] = (g, x, t) => g.Gelu(x, tanhApproximation: true, t),
        ["gelu_pytorch_tanh"] = (g, x, t) => g.Gelu(x, tanhApproximation: true, t),
        ["gelu_fast"] = (g, x, t) => g.Gelu(x, tanhApproximation: true, t),
        ["quick_gelu"] = (g, x, t) => g.Op("Mul", x, g.Op("Sigmoid", g.Op("Mul", x, g.Float(1.702f, t)))),
        ["relu"] = (g, x, _) => g.Op("Relu", x),
        ["tanh"] = (g, x, _) => g.Op("Tanh", x),
        ["sigmoid"] = (g, x, _) => g.Op("Sigmoid", x),
        ["silu"] = (g, x, _) => g.Op("Mul", x, g.Op("Sigmoid", x)),
        ["swish"] = (g, x, _) => g.Op("Mul", x, g.Op("Sigmoid", x)),
        ["linear"] = (_, x, _) => x,
    };

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
