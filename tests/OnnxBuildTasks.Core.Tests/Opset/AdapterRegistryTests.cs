using OnnxBuildTasks.Opset;

namespace OnnxBuildTasks.Tests.Opset;

/// <summary>The adapter table covers every schema change of the facts table, and nothing else.</summary>
public class AdapterRegistryTests
{
    [Fact]
    public void Every_schema_change_in_the_range_has_an_adapter()
    {
        var missing = OperatorHistory.StepsInRange()
            .Where(s => AdapterRegistry.Find(s.Op, s.Version) is null)
            .Select(s => $"{s.Op}-{s.Version}")
            .ToList();
        Assert.True(missing.Count == 0, "No adapter for: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_adapter_matches_a_schema_change()
    {
        var stale = AdapterRegistry.Steps
            .Where(s => !OperatorHistory.ChangesAt(s.Op, s.Version))
            .Select(s => $"{s.Op}-{s.Version}")
            .ToList();
        Assert.True(stale.Count == 0, "Adapters for versions where the schema did not change: " + string.Join(", ", stale));
    }

    [Fact]
    public void Transformer_operators_all_convert_down_without_refusal_adapters()
    {
        // The operators torch.onnx/optimum emit for encoder/decoder graphs must never meet a refusing
        // (NewOperator without decomposition) adapter between 11 and 21.
        string[] transformerOps =
        [
            "Add", "Cast", "Concat", "Constant", "ConstantOfShape", "Div", "Equal", "Erf", "Expand", "Gather", "Gemm", "Gelu",
            "LayerNormalization", "MatMul", "Mul", "Pow", "Range", "ReduceMean", "Reshape", "Shape", "Slice", "Softmax", "Split",
            "Sqrt", "Squeeze", "Sub", "Tanh", "Transpose", "Unsqueeze", "Where", "Neg", "Sin", "Cos", "Trilu", "CumSum",
        ];
        var refused = transformerOps
            .SelectMany(op => OperatorHistory.Versions[op].Where(v => v > 11 && v <= OperatorHistory.MaxOpset).Select(v => (op, v)))
            .Where(s => AdapterRegistry.Find(s.op, s.v)!.Any(a => a.Kind == StepKind.NewOperator && a.GetType().Name == "NewOperatorAdapter"))
            .Select(s => $"{s.op}-{s.v}")
            .ToList();
        Assert.Equal(["Trilu-14"], refused); // Trilu has no older form; everything else converts
    }
}
