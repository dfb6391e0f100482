using OnnxBuildTasks.Checkpoints;
using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Export.Blocks;

/// <summary>
/// Turns checkpoint tensors into graph initializers: checks each shape against what config.json implies,
/// and registers a <see cref="StreamedWeight"/> that converts (and for Linear layers transposes) the
/// memory-mapped bytes only when the file is written. A tensor used twice (ALBERT's shared layers) is one initializer.
/// </summary>
internal sealed class WeightLoader(Checkpoint checkpoint, GraphBuilder graph, string item, DataType computeType)
{
    private readonly Dictionary<string, (string Name, long[] Shape)> _loaded = new(StringComparer.Ordinal);

    /// <summary>Element type of matrices and most vectors (float32, or float16 for fp16 exports).</summary>
    public DataType ComputeType { get; } = computeType;

    public bool Has(string name) => checkpoint.TryGetTensor(name, out _);

    /// <summary>A Linear module's weight as [in, out] (transposed from PyTorch's [out, in]) and its bias.</summary>
    public LinearWeights Linear(string module, long? expectedIn, long? expectedOut, bool bias = true)
    {
        var shape = ShapeOf(module + ".weight", [expectedOut, expectedIn], rank: 2);
        string w = Load(module + ".weight", shape, ComputeType, transpose: true);
        string? b = bias ? Vector(module + ".bias", shape[0]) : null;
        return new LinearWeights(w, b, shape[1], shape[0]);
    }

    /// <summary>A layer norm module's weight and bias, kept in float32 (layer norms compute in float32 at every precision).</summary>
    public (string Scale, string Bias) LayerNorm(string module, long size) =>
        (Vector(module + ".weight", size, DataType.Float), Vector(module + ".bias", size, DataType.Float));

    /// <summary>A 1-D tensor of <paramref name="length"/> elements.</summary>
    public string Vector(string name, long? length, DataType? type = null)
    {
        var shape = ShapeOf(name, [length], rank: 1);
        return Load(name, shape, type ?? ComputeType, transpose: false);
    }

    /// <summary>A 2-D table kept in its stored orientation (embeddings).</summary>
    public string Table(string name, long? rows, long? cols, DataType? type = null)
    {
        var shape = ShapeOf(name, [rows, cols], rank: 2);
        return Load(name, shape, type ?? ComputeType, transpose: false);
    }

    /// <summary>The shape of <paramref name="name"/>, checked against the expected sizes (null = any).</summary>
    public long[] ShapeOf(string name, long?[] expected, int rank)
    {
        var tensor = Get(name);
        var shape = tensor.CopyShape();
        if (!Matches(shape, expected, rank))
            throw new OnnxBuildException(ErrorCodes.ExportWeightShapeMismatch,
                $"{item}: weight '{name}' has shape [{string.Join(", ", shape)}] but config.json implies [{string.Join(", ", expected.Select(e => e?.ToString() ?? "?"))}]. " +
                "The weights do not belong to this config.json; re-download the checkpoint or fix config.json.");
        return shape;
    }

    // A plain loop: LINQ over long? pairs would be compiled at first use in every export process.
    private static bool Matches(long[] shape, long?[] expected, int rank)
    {
        if (shape.Length != rank) return false;
        for (int i = 0; i < Math.Min(rank, expected.Length); i++)
            if (expected[i] is long e && e != shape[i]) return false;
        return true;
    }

    private CheckpointTensor Get(string name)
    {
        if (checkpoint.TryGetTensor(name, out var tensor)) return tensor;
        throw new OnnxBuildException(ErrorCodes.ExportMissingWeight,
            $"{item}: weight '{name}' is not in checkpoint '{checkpoint.Folder}' ({string.Join(", ", checkpoint.Files)}). " +
            "The weights were saved from a different model class than config.json's architectures names; export the task that class supports or re-save the checkpoint.");
    }

    private static bool StoredAsWritten(SourceElement source, DataType type) =>
        (source, type) is (SourceElement.Float32, DataType.Float) or (SourceElement.Float16, DataType.Float16);

    private string Load(string name, long[] shape, DataType type, bool transpose)
    {
        string key = name + (transpose ? "|T" : "") + "|" + type;
        if (_loaded.TryGetValue(key, out var existing))
            return existing.Name;
        var tensor = Get(name);
        var source = tensor.DType switch
        {
            TensorDType.F32 => SourceElement.Float32,
            TensorDType.F16 => SourceElement.Float16,
            TensorDType.BF16 => SourceElement.BFloat16,
            TensorDType.F64 => SourceElement.Float64,
            var d => throw new OnnxBuildException(ErrorCodes.ExportUnsupportedWeightType,
                $"{item}: weight '{name}' is stored as {d.SafetensorsName()}; only floating-point weights (F32, F16, BF16, F64) can be exported."),
        };
        ITensorPayload data;
        long[] written;
        if (!transpose && StoredAsWritten(source, type) && tensor.FileRange is { } range)
        {
            // Bytes already as the model stores them: copied file to file (in the kernel where it can), never mapped.
            data = TensorPayload.FromFile(range.Path, range.Offset, tensor.ByteLength);
            written = shape;
        }
        else
        {
            var weight = new StreamedWeight(() => tensor.Bytes, source, shape, type, transpose, afterWrite: tensor.ReleasePages);
            data = weight;
            written = weight.Shape;
        }
        string initializer = graph.Weight(transpose ? name + ".T" : name, type, written, data);
        _loaded[key] = (initializer, written);
        return initializer;
    }
}

/// <summary>A Linear module's initializers: the weight as [in, out], the bias (or null) and the two sizes.</summary>
internal sealed record LinearWeights(string Weight, string? Bias, long In, long Out);
