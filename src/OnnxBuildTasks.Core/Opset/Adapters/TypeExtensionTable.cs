using OnnxBuildTasks.Diagnostics;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>
/// Schema changes that only add element types (or non-tensor types: sequence, optional). Going
/// up nothing changes; going down the node's inputs and outputs must not use an added type.
/// An empty type list marks a change with nothing a converter can see (non-tensor types,
/// documentation or shape-inference only); those are listed so coverage stays explicit.
/// </summary>
internal static class TypeExtensionTable
{
    private static readonly DataType[] Bf16 = [DataType.Bfloat16];
    private static readonly DataType[] F8 = [DataType.Float8E4M3Fn, DataType.Float8E4M3Fnuz, DataType.Float8E5M2, DataType.Float8E5M2Fnuz];
    private static readonly DataType[] F8Bf16 = [.. F8, DataType.Bfloat16];
    private static readonly DataType[] I4 = [DataType.Int4, DataType.Uint4];
    private static readonly DataType[] F8I4 = [.. F8, .. I4];
    private static readonly DataType[] SmallInts = [DataType.Int8, DataType.Int16, DataType.Uint8, DataType.Uint16];
    private static readonly DataType[] Ints = [DataType.Int8, DataType.Int16, DataType.Int32, DataType.Int64, DataType.Uint8, DataType.Uint16, DataType.Uint32, DataType.Uint64];
    private static readonly DataType[] NonFloat = [.. Ints, DataType.Bool, DataType.String, DataType.Complex64, DataType.Complex128];
    private static readonly DataType[] None = [];
    private static readonly DataType[] F4 = [DataType.Float4E2M1];
    private static readonly DataType[] F8E8M0 = [(DataType)24]; // FLOAT8E8M0 (IR 12), newer than our onnx.proto3
    private static readonly DataType[] I2 = [(DataType)25, (DataType)26]; // UINT2, INT2 (onnx 1.20), newer than our onnx.proto3

    // (version, added types, operators[, non-tensor kind added]). One line per group of operators sharing a change.
    private static readonly (int Version, DataType[] Added, string[] Ops, string? NonTensor)[] Table =
    [
        (9, [DataType.String], ["Cast"], null),
        (9, NonFloat, ["Constant", "Flatten"], null),
        (9, [DataType.Int32, DataType.Int64, DataType.Uint32, DataType.Uint64], ["Gemm", "MatMul", "PRelu"], null),
        (9, Ints, ["Greater", "Less"], null),
        (11, [DataType.Float16, DataType.Float, DataType.Double, DataType.Int8, DataType.Int16, DataType.Uint8, DataType.Uint16, DataType.Uint32, DataType.Uint64], ["Equal"], null),
        (11, None, ["AveragePool", "Conv", "ConvTranspose", "LpPool", "MaxPool", "MaxUnpool", "If", "Loop", "NonMaxSuppression", "Compress"], null),
        (12, Ints, ["Clip"], null),
        (12, [DataType.Int8, DataType.Uint8], ["MaxPool", "ReduceMax", "ReduceMin"], null),
        (13, Bf16, ["Abs", "Add", "ArgMax", "ArgMin", "Cast", "Ceil", "Clip", "Concat", "Constant", "DepthToSpace", "Div",
            "Dropout", "Equal", "Erf", "Exp", "Expand", "Flatten", "Floor", "Gather", "GatherElements", "GatherND", "Gemm",
            "Greater", "Identity", "IsNaN", "LRN", "Less", "Log", "MatMul", "Max", "Mean", "MeanVarianceNormalization", "Min",
            "Mod", "Mul", "Neg", "NonZero", "Pad", "Pow", "Reciprocal", "ReduceL1", "ReduceL2", "ReduceLogSum",
            "ReduceLogSumExp", "ReduceMax", "ReduceMean", "ReduceMin", "ReduceProd", "ReduceSum", "ReduceSumSquare", "Relu",
            "Reshape", "Resize", "ScatterElements", "ScatterND", "Shape", "Sigmoid", "Sign", "Size", "Slice", "SpaceToDepth",
            "Sqrt", "Sub", "Sum", "Tanh", "Tile", "Transpose", "NegativeLogLikelihoodLoss", "SoftmaxCrossEntropyLoss",
            "Softmax", "LogSoftmax", "Hardmax", "Split", "Squeeze", "Unsqueeze", "If", "Loop"], null),
        (14, SmallInts, ["Add", "Sub", "Mul", "Div"], null),
        (14, [DataType.Int8, DataType.Int16, DataType.Int32, DataType.Int64], ["Relu"], null),
        (14, [DataType.Bfloat16, DataType.Float16], ["CumSum"], null),
        (14, None, ["Identity"], "sequence"),
        (14, None, ["Reshape"], null),
        (13, None, ["If", "Loop"], "sequence"),
        (15, Bf16, ["Pow"], null),
        (16, Bf16, ["GreaterOrEqual", "LessOrEqual", "LeakyRelu", "PRelu", "Where"], null),
        (16, None, ["Identity", "If", "Loop", "Scan"], "optional"),
        (18, None, ["OptionalGetElement", "OptionalHasElement"], null),
        (19, F8, ["Cast", "CastLike", "Constant", "Identity", "If", "Loop", "Reshape", "Scan", "Shape", "Size", "DequantizeLinear", "QuantizeLinear"], null),
        (19, [DataType.String], ["Equal"], null),
        (19, None, ["Pad", "Resize", "AveragePool"], null),
        (20, F8Bf16, ["ConstantOfShape"], null),
        (20, F8, ["IsInf", "IsNaN"], null),
        (20, [DataType.Bool], ["ReduceMax", "ReduceMin"], null),
        (21, I4, ["Cast", "CastLike", "Constant", "ConstantOfShape", "Identity", "If", "Loop", "Reshape", "Scan", "Shape", "Size"], null),
        (21, F8I4, ["Flatten", "Pad", "Squeeze", "Transpose", "Unsqueeze"], null),
        (21, [.. I4, DataType.Int16, DataType.Uint16], ["DequantizeLinear", "QuantizeLinear"], null),
        (21, F8Bf16, ["QLinearMatMul"], null),
        (22, Bf16, ["Acos", "Acosh", "Asin", "Asinh", "Atan", "Atanh", "AveragePool", "Bernoulli", "Conv", "ConvTranspose", "Cos",
            "Cosh", "DeformConv", "Det", "Dropout", "Elu", "EyeLike", "GRU", "GlobalAveragePool", "GlobalLpPool", "GlobalMaxPool",
            "GridSample", "HardSigmoid", "HardSwish", "InstanceNormalization", "LSTM", "LpNormalization", "LpPool", "MaxPool",
            "MaxRoiPool", "MaxUnpool", "Mish", "Multinomial", "NegativeLogLikelihoodLoss", "RNN", "RandomNormal", "RandomNormalLike",
            "RandomUniform", "RandomUniformLike", "RoiAlign", "Round", "Selu", "Sin", "Sinh", "Softplus", "Softsign", "Tan",
            "ThresholdedRelu"], null),
        (23, F4, ["Cast", "CastLike", "Constant", "ConstantOfShape", "DequantizeLinear", "Flatten", "Identity", "If", "Loop", "Pad",
            "QuantizeLinear", "Reshape", "Scan", "Shape", "Size", "Squeeze", "Transpose", "Unsqueeze"], null),
        (24, F8E8M0, ["QuantizeLinear", "DequantizeLinear", "Cast", "CastLike", "Constant", "ConstantOfShape", "Identity", "Reshape",
            "Shape", "Size", "If", "Loop", "Scan", "Flatten", "Pad", "Squeeze", "Unsqueeze", "Transpose"], null),
        (24, Bf16, ["TopK", "SplitToSequence"], null),
        (25, I2, ["Cast", "CastLike", "Constant", "ConstantOfShape", "DequantizeLinear", "Flatten", "Identity", "If", "Loop", "Pad",
            "QuantizeLinear", "Reshape", "Scan", "Shape", "Size", "Squeeze", "Transpose", "Unsqueeze"], null),
    ];

    public static IEnumerable<IOpAdapter> Adapters() =>
        from e in Table from op in e.Ops select (IOpAdapter)new TypeExtensionAdapter(op, e.Version, e.Added, e.NonTensor);
}

/// <summary>Checks a node going below <see cref="Version"/> uses none of the types that version added.</summary>
internal sealed class TypeExtensionAdapter(string op, int version, DataType[] added, string? nonTensor = null) : IOpAdapter
{
    public string Op => op;

    public int Version => version;

    public StepKind Kind => StepKind.TypeExtension;

    public IReadOnlyList<DataType> Added => added;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        if (nonTensor is not null)
        {
            foreach (var value in edit.Node.Input.Concat(edit.Node.Output).Where(v => v.Length > 0))
                if (edit.Scope.NonTensorKind(value) == nonTensor)
                    throw edit.Fail(ErrorCodes.OpsetTypeNotInTarget, $"'{value}' is a {nonTensor}, which {op} accepts only from opset {version}; keep opset >= {version}");
        }
        if (added.Length == 0) return;
        foreach (var value in edit.Node.Input.Concat(edit.Node.Output).Where(v => v.Length > 0))
        {
            var t = edit.TypeOf(value);
            if (t is null)
            {
                edit.Unverified.Add($"element type of '{value}' unknown; {op}-{version} type extension not verified");
                continue;
            }
            if (Array.IndexOf(added, t.Value) >= 0)
                throw edit.Fail(ErrorCodes.OpsetTypeNotInTarget,
                    $"'{value}' is {t.Value}, which {op} accepts only from opset {version}; keep opset >= {version} or cast the model");
        }
    }
}
