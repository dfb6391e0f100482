using OnnxBuildTasks.Opset.Adapters;
using OnnxBuildTasks.Opset.Decompositions;

namespace OnnxBuildTasks.Opset;

/// <summary>
/// Every adapter, found by (operator, since-version). Hand-written adapters come first, then the
/// data-driven tables; several adapters for one step run in order going up and in reverse going
/// down. An operator new in the converter's range with no decomposition gets a refusing adapter.
/// </summary>
internal static class AdapterRegistry
{
    private static readonly IOpAdapter[] Custom =
    [
        // decompositions of operators newer than the target
        new LayerNormalizationDecomposition(), new GeluDecomposition(), new HardSwishDecomposition(),
        new MishDecomposition(), new CeluDecomposition(), new ComparisonOrEqualDecomposition("GreaterOrEqual", "Greater"),
        new ComparisonOrEqualDecomposition("LessOrEqual", "Less"), new CastLikeDecomposition(), new SwishDecomposition(),
        new RmsNormalizationDecomposition(), new AttentionKvLength23To24(), new CumProdDecomposition(),
        // semantic changes
        .. new[] { "Softmax", "LogSoftmax", "Hardmax" }.Select(op => (IOpAdapter)new SoftmaxAxis12To13(op)),
        new SplitNumOutputs17To18(), new PadInputs10To11(), new PadAxes17To18(), new ClipInputs10To11(),
        new SliceInputs9To10(), new SliceNegativeAxes10To11(), new UnsqueezeNegativeAxes10To11(),
        new DropoutMask9To10(), new DropoutInputs11To12(), new BatchNormalizationSpatial8To9(),
        new BatchNormalizationTraining13To14(), new BatchNormalizationTypes14To15(), new ResizeToUpsample9To10(),
        new UpsampleToResize9To10(), new Resize10To11(), new ResizeOptionalInputs11To13(), new ScatterToScatterElements10To11(),
        new ScatterElementsToScatter10To11(), new ReshapeAllowZero13To14(), new ShapeStartEnd14To15(), new GemmOptionalC10To11(),
        new PowExponentType11To12(), new ConstantValueAttributes11To12(), new QuantizeAxis12To13("QuantizeLinear"),
        new QuantizeAxis12To13("DequantizeLinear"), new RoiAlignCoordinates15To16(), new GridSampleModes19To20(),
        new DftAxisInput19To20(), new GroupNormalizationChannels18To21(), new ScanBatchAxis8To9(),
        .. new[] { "Max", "Min", "Mean", "Sum" }.Select(op => (IOpAdapter)new VariadicBroadcast7To8(op)),
        new MaxPoolIndicesOutput7To8(), new MinMaxIntegers11To12("Max"), new MinMaxIntegers11To12("Min"),
    ];

    private static readonly Dictionary<(string Op, int Version), IOpAdapter[]> ByStep = Build();

    /// <summary>The adapters for one operator's schema change, or null when none is registered.</summary>
    public static IReadOnlyList<IOpAdapter>? Find(string op, int version) =>
        ByStep.TryGetValue((op, version), out var list) ? list : null;

    /// <summary>Every registered (operator, version) step.</summary>
    public static IEnumerable<(string Op, int Version)> Steps => ByStep.Keys;

    private static Dictionary<(string, int), IOpAdapter[]> Build()
    {
        var all = Custom
            .Concat(AttributeInputMoveTable.Adapters())
            .Concat(NegativeAxisTable.Adapters())
            .Concat(AttributeAddedTable.Adapters())
            .Concat(TypeExtensionTable.Adapters())
            .ToList();
        foreach (var (op, versions) in OperatorHistory.Versions)
        {
            int first = versions[0];
            if (first > OperatorHistory.MinOpset && !all.Any(a => a.Op == op && a.Version == first))
                all.Add(new NewOperatorAdapter(op, first));
        }
        return all.GroupBy(a => (a.Op, a.Version)).ToDictionary(g => g.Key, g => g.ToArray());
    }
}
