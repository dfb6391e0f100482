using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Validation;

/// <summary>
/// Deterministic sample inputs for a model's graph inputs, for validation runs without given inputs.
/// Symbolic dimensions: batch* and num_choices 2, past* 8, sequence* 8 (1 for the new tokens of a
/// with-past decoder, whose mask is "past_sequence_length + 1"); ids in [0, vocabulary) when an embedding
/// Gather tells the vocabulary size, else [0, 100); attention masks ones with the last row half padded;
/// token_type_ids zeros; position_ids 0..n-1; floats seeded uniform in [-1, 1).
/// </summary>
public static class SampleInputs
{
    /// <summary>Value of batch-like symbolic dimensions.</summary>
    public const int BatchSize = 2;

    /// <summary>Value of sequence-like and other symbolic dimensions.</summary>
    public const int SequenceLength = 8;

    /// <summary>Value of num_choices-like symbolic dimensions.</summary>
    public const int NumChoices = 2;

    /// <summary>Upper bound (exclusive) of generated ids when the model does not tell its vocabulary size.</summary>
    public const int DefaultIdBound = 100;

    private delegate double[] Generator(string name, long[] shape, long idBound);

    // First matching rule wins: (applies to input name / element type, generator).
    private static readonly (Func<string, DataType, bool> Applies, Generator Generate)[] Rules =
    [
        ((n, _) => n.Contains("attention_mask") || n.EndsWith("mask"), (_, s, _) => PaddedMask(s)),
        ((n, _) => n.Contains("token_type_ids"), (_, s, _) => new double[Count(s)]),
        ((n, _) => n.Contains("position_ids"), (_, s, _) => Positions(s)),
        ((_, t) => t == DataType.Bool, (_, s, _) => Enumerable.Repeat(1.0, (int)Count(s)).ToArray()),
        ((n, t) => IsInteger(t) && (n.Contains("ids") || n.Contains("input")), (n, s, bound) => Ids(n, s, bound)),
        ((_, t) => IsInteger(t), (_, s, _) => new double[Count(s)]),
        ((_, t) => t is DataType.Float or DataType.Double or DataType.Float16, (n, s, _) => Uniform(n, s)),
    ];

    /// <summary>Sample inputs for every graph input that is not an initializer, in graph order.</summary>
    /// <exception cref="OnnxBuildException"><see cref="ErrorCodes.SampleInputUnsupported"/> for an input type that cannot be generated.</exception>
    public static IReadOnlyDictionary<string, HostTensor> Create(ModelProto model, string itemName)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph;
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        bool withPast = inputs.Any(i => Dims(i).Any(d => d.DimParam.Contains("past") && d.DimParam.Contains('+')));

        var result = new OrderedDictionary<string, HostTensor>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            var tensorType = input.Type?.TensorType;
            var type = (DataType)(tensorType?.ElemType ?? 0);
            var shape = Dims(input).Select((d, axis) => ResolveDim(d, axis, withPast)).ToArray();
            var rule = Rules.FirstOrDefault(r => r.Applies(input.Name, type));
            if (tensorType is null || rule.Generate is null || !Factories.ContainsKey(type))
                throw new OnnxBuildException(ErrorCodes.SampleInputUnsupported,
                    $"'{itemName}': cannot generate a sample for input '{input.Name}' of type {(tensorType is null ? "non-tensor" : type.ToString())}; give inputs explicitly (--inputs inputs.json).");
            var values = rule.Generate(input.Name, shape, IdBound(graph, input.Name));
            result[input.Name] = Factories[type](shape, values);
        }
        return result;
    }

    private static IEnumerable<TensorShapeProto.Types.Dimension> Dims(ValueInfoProto input) =>
        input.Type?.TensorType?.Shape?.Dim ?? Enumerable.Empty<TensorShapeProto.Types.Dimension>();

    /// <summary>The size used for a dimension: its fixed value, or a value chosen from its symbolic name.</summary>
    internal static long ResolveDim(TensorShapeProto.Types.Dimension dim, int axis, bool withPast)
    {
        if (dim.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue) return dim.DimValue;
        var name = dim.DimParam.Trim().ToLowerInvariant();
        if (name.Length == 0) return axis == 0 ? BatchSize : SequenceLength;
        if (name.Contains('+'))
            return name.Split('+').Sum(term => ResolveDim(new TensorShapeProto.Types.Dimension { DimParam = term }, axis, withPast));
        if (long.TryParse(name, out var literal)) return literal;
        if (name.Contains("batch")) return BatchSize;
        if (name.Contains("choice")) return NumChoices;
        if (name.Contains("past")) return SequenceLength;
        if (name.Contains("sequence") && withPast && !name.Contains("encoder")) return 1;
        return axis == 0 ? BatchSize : SequenceLength;
    }

    // Ops that only reshape or relabel their first input: ids flow through them unchanged to an embedding Gather.
    private static readonly HashSet<string> PassThroughOps = ["Reshape", "Flatten", "Squeeze", "Unsqueeze", "Cast", "Identity", "View"];

    /// <summary>
    /// The smallest size of an initializer's gathered axis that this input indexes (an embedding's vocabulary),
    /// following reshapes and casts between the input and the Gather.
    /// </summary>
    private static long IdBound(GraphProto graph, string inputName) => VocabularySize(graph, inputName) ?? DefaultIdBound;

    /// <summary>The vocabulary size an embedding Gather tells for ids fed to <paramref name="inputName"/>, or null when none does.</summary>
    internal static long? VocabularySize(GraphProto graph, string inputName)
    {
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var reach = new HashSet<string>(StringComparer.Ordinal) { inputName };
        bool grew = true;
        while (grew)
        {
            grew = false;
            foreach (var node in graph.Node)
                if (PassThroughOps.Contains(node.OpType) && node.Input.Count > 0 && reach.Contains(node.Input[0]))
                    foreach (var output in node.Output) grew |= reach.Add(output);
        }
        long bound = long.MaxValue;
        foreach (var node in graph.Node)
        {
            if (node.OpType != "Gather" || node.Input.Count < 2 || !reach.Contains(node.Input[1])) continue;
            if (!initializers.TryGetValue(node.Input[0], out var table) || table.Dims.Count == 0) continue;
            long axis = node.Attribute.FirstOrDefault(a => a.Name == "axis")?.I ?? 0;
            if (axis < 0) axis += table.Dims.Count;
            if (axis >= 0 && axis < table.Dims.Count && table.Dims[(int)axis] > 0)
                bound = Math.Min(bound, table.Dims[(int)axis]);
        }
        return bound == long.MaxValue ? null : bound;
    }

    private static long Count(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    private static double[] PaddedMask(long[] shape)
    {
        var values = Enumerable.Repeat(1.0, (int)Count(shape)).ToArray();
        if (shape.Length < 2 || shape[0] < 2 || shape[^1] < 2) return values;
        long length = shape[^1];
        long perBatch = values.LongLength / shape[0];
        // The last batch row keeps its first half (rounded up) and is padded after it, as a right-padded tokenizer does.
        for (long i = values.LongLength - perBatch; i < values.LongLength; i++)
            if (i % length >= (length + 1) / 2) values[i] = 0;
        return values;
    }

    private static double[] Positions(long[] shape)
    {
        long length = shape.Length == 0 ? 1 : shape[^1];
        var values = new double[Count(shape)];
        for (long i = 0; i < values.LongLength; i++) values[i] = i % length;
        return values;
    }

    private static double[] Ids(string name, long[] shape, long bound)
    {
        var random = new Random(Seed(name));
        var values = new double[Count(shape)];
        for (long i = 0; i < values.LongLength; i++) values[i] = random.NextInt64(Math.Max(1, bound));
        return values;
    }

    private static double[] Uniform(string name, long[] shape)
    {
        var random = new Random(Seed(name));
        var values = new double[Count(shape)];
        for (long i = 0; i < values.LongLength; i++) values[i] = random.NextDouble() * 2 - 1;
        return values;
    }

    // A stable seed per input name (string.GetHashCode differs between runs).
    private static int Seed(string name)
    {
        uint hash = 2166136261;
        foreach (char c in name) hash = (hash ^ c) * 16777619;
        return (int)(hash & 0x7fffffff);
    }

    /// <summary>A tensor of <paramref name="type"/> holding <paramref name="values"/>, or null for a type samples are not made of.</summary>
    internal static HostTensor? Tensor(DataType type, long[] shape, double[] values) =>
        Factories.TryGetValue(type, out var factory) ? factory(shape, values) : null;

    private static bool IsInteger(DataType t) => t is DataType.Int64 or DataType.Int32 or DataType.Int16 or DataType.Int8 or DataType.Uint8;

    private static readonly Dictionary<DataType, Func<long[], double[], HostTensor>> Factories = new()
    {
        [DataType.Float] = (s, v) => new(DataType.Float, s, Array.ConvertAll(v, x => (float)x)),
        [DataType.Double] = (s, v) => new(DataType.Double, s, v),
        [DataType.Float16] = (s, v) => new(DataType.Float16, s, Array.ConvertAll(v, x => (Half)x)),
        [DataType.Int64] = (s, v) => new(DataType.Int64, s, Array.ConvertAll(v, x => (long)x)),
        [DataType.Int32] = (s, v) => new(DataType.Int32, s, Array.ConvertAll(v, x => (int)x)),
        [DataType.Int16] = (s, v) => new(DataType.Int16, s, Array.ConvertAll(v, x => (short)x)),
        [DataType.Int8] = (s, v) => new(DataType.Int8, s, Array.ConvertAll(v, x => (sbyte)x)),
        [DataType.Uint8] = (s, v) => new(DataType.Uint8, s, Array.ConvertAll(v, x => (byte)x)),
        [DataType.Bool] = (s, v) => new(DataType.Bool, s, Array.ConvertAll(v, x => x != 0)),
    };
}
