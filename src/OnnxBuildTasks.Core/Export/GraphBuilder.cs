using Google.Protobuf;
using OnnxBuildTasks.Onnx;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Export;

/// <summary>
/// Builds one ONNX graph for a fixed target opset. Node helpers (<see cref="Op(string, string[])"/> and the
/// opset-aware helpers in the other parts of this class) emit the operators of that opset directly, so the
/// result never needs a version conversion. Value and node names are derived from a counter and the current
/// <see cref="Scope(string)"/>, which makes the graph deterministic for identical calls.
/// </summary>
public sealed partial class GraphBuilder
{
    /// <summary>Lowest export opset: CumSum and Range (needed for position ids) exist from 11.</summary>
    public const int MinOpset = 11;

    /// <summary>Highest export opset: the newest default-domain opset ONNX Runtime 1.31 officially runs (its loader names 26).</summary>
    public const int MaxOpset = 26;

    private readonly GraphProto _graph;
    private readonly Dictionary<string, ITensorPayload> _weights = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _constants = new(StringComparer.Ordinal);
    private readonly Stack<string> _scopes = new();
    private int _counter;

    /// <param name="opset">Target default-domain opset, <see cref="MinOpset"/> to <see cref="MaxOpset"/>.</param>
    /// <param name="graphName">Name of the graph (e.g. the model class).</param>
    public GraphBuilder(int opset, string graphName)
    {
        if (opset is < MinOpset or > MaxOpset)
            throw new ArgumentOutOfRangeException(nameof(opset), opset, $"Supported opsets are {MinOpset} to {MaxOpset}.");
        Opset = opset;
        _graph = new GraphProto { Name = graphName };
    }

    /// <summary>The target opset every helper emits for.</summary>
    public int Opset { get; }

    /// <summary>The graph built so far (initializers carry name, type and dims; bytes live in <see cref="Weights"/>).</summary>
    public GraphProto Graph => _graph;

    /// <summary>The streamed bytes of every weight initializer, by initializer name.</summary>
    public IReadOnlyDictionary<string, ITensorPayload> Weights => _weights;

    /// <summary>Prefixes the names of nodes created until the returned value is disposed.</summary>
    public IDisposable Scope(string name)
    {
        _scopes.Push(name);
        return new ScopeExit(_scopes);
    }

    /// <summary>Declares a graph input.</summary>
    public string Input(string name, DataType type, params Dim[] dims)
    {
        _graph.Input.Add(ValueInfo(name, type, dims));
        return name;
    }

    /// <summary>Declares <paramref name="value"/> as the graph output <paramref name="name"/> (an Identity renames it when needed).</summary>
    public void Output(string value, string name, DataType type, params Dim[] dims)
    {
        if (value != name)
            _graph.Node.Add(NewNode("Identity", [value], [name]));
        _graph.Output.Add(ValueInfo(name, type, dims));
    }

    /// <summary>Adds a node with one output and returns that output's name.</summary>
    public string Op(string opType, params string[] inputs) => Op(opType, inputs, []);

    /// <summary>Adds a node with one output and attributes and returns that output's name.</summary>
    public string Op(string opType, string[] inputs, params AttributeProto[] attributes) => Ops(opType, inputs, 1, attributes)[0];

    /// <summary>Adds a node with <paramref name="outputCount"/> outputs and returns their names.</summary>
    public string[] Ops(string opType, string[] inputs, int outputCount, params AttributeProto[] attributes)
    {
        string baseName = NextName(opType);
        var outputs = new string[outputCount];
        for (int i = 0; i < outputCount; i++)
            outputs[i] = baseName + "_output_" + i;
        var node = NewNode(opType, inputs, outputs, baseName);
        node.Attribute.Add(attributes);
        _graph.Node.Add(node);
        return outputs;
    }

    /// <summary>Adds a weight initializer whose bytes are streamed from <paramref name="data"/> when the model is saved.</summary>
    public string Weight(string name, DataType type, long[] dims, ITensorPayload data)
    {
        if (_weights.ContainsKey(name))
            throw new InvalidOperationException($"Initializer '{name}' is already defined.");
        var tensor = new TensorProto { Name = name, DataType = (int)type };
        tensor.Dims.Add(dims);
        _graph.Initializer.Add(tensor);
        _weights.Add(name, data);
        return name;
    }

    /// <summary>A constant int64 tensor (1-D unless <paramref name="dims"/> is given; a scalar with empty dims). Identical constants are shared.</summary>
    public string Int64s(long[] values, long[]? dims = null)
    {
        dims ??= [values.Length];
        var bytes = new byte[values.Length * 8];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return Constant("i64", DataType.Int64, dims, bytes);
    }

    /// <summary>A constant float scalar of <paramref name="type"/>. Identical constants are shared.</summary>
    public string Float(float value, DataType type = DataType.Float) => type switch
    {
        DataType.Float => Constant("f32", type, [], BitConverter.GetBytes(value)),
        DataType.Float16 => Constant("f16", type, [], BitConverter.GetBytes((Half)value)),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Float constants are float32 or float16."),
    };

    /// <summary>
    /// The model for this graph with a default-domain opset import. With <paramref name="inlineWeights"/> the
    /// weights' bytes are copied into the initializers (for small in-memory models); otherwise the initializers
    /// keep only name, type and dims and the file writer streams <see cref="Weights"/>.
    /// </summary>
    public ModelProto ToModel(bool inlineWeights, string producerVersion)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersionFor(Opset),
            ProducerName = "OnnxBuildTasks",
            ProducerVersion = producerVersion,
            Graph = _graph.Clone(),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        if (inlineWeights)
        {
            foreach (var init in model.Graph.Initializer)
            {
                if (!_weights.TryGetValue(init.Name, out var data)) continue;
                using var ms = new MemoryStream(checked((int)data.Length));
                data.WriteTo(ms);
                init.RawData = ByteString.CopyFrom(ms.GetBuffer(), 0, (int)ms.Length);
            }
        }
        return model;
    }

    /// <summary>The IR version that first carried <paramref name="opset"/> (ONNX's version table), so older runtimes load the file.</summary>
    public static long IrVersionFor(int opset) => opset switch
    {
        <= 11 => 6,
        <= 14 => 7,
        <= 18 => 8,
        <= 20 => 9,
        <= 22 => 10,
        23 => 11,
        _ => 12,
    };

    private string Constant(string kind, DataType type, long[] dims, byte[] bytes)
    {
        string key = ConstantKey(kind, dims, bytes);
        if (_constants.TryGetValue(key, out var existing))
            return existing;
        string name = "const_" + kind + "_" + _constants.Count;
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.Add(dims);
        _graph.Initializer.Add(tensor);
        _constants.Add(key, name);
        return name;
    }

    // kind[d0,d1,...] then the bytes in hex. Plain loops: string.Join over long and the vectorised hex encoder are
    // compiled at first use, and this runs for the first constants of every export.
    private static string ConstantKey(string kind, long[] dims, byte[] bytes)
    {
        const string Hex = "0123456789ABCDEF";
        var key = new System.Text.StringBuilder(kind.Length + 2 + dims.Length * 8 + bytes.Length * 2).Append(kind).Append('[');
        for (int i = 0; i < dims.Length; i++)
        {
            if (i > 0) key.Append(',');
            key.Append(dims[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        key.Append(']');
        foreach (byte b in bytes)
            key.Append(Hex[b >> 4]).Append(Hex[b & 0xF]);
        return key.ToString();
    }

    private string NextName(string opType)
    {
        string scope = _scopes.Count == 0 ? "" : "/" + string.Join("/", _scopes.Reverse());
        return scope + "/" + opType + "_" + (_counter++).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private NodeProto NewNode(string opType, string[] inputs, string[] outputs, string? name = null)
    {
        var node = new NodeProto { OpType = opType, Name = name ?? NextName(opType) };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        return node;
    }

    private static ValueInfoProto ValueInfo(string name, DataType type, Dim[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d.Symbol is { } s ? new TensorShapeProto.Types.Dimension { DimParam = s } : new TensorShapeProto.Types.Dimension { DimValue = d.Value!.Value });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private sealed class ScopeExit(Stack<string> scopes) : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            scopes.Pop();
        }
    }
}
