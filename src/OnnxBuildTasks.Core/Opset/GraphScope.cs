using OnnxBuildTasks.Onnx;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Opset;

/// <summary>
/// What adapters may know about one graph (main graph or an If/Loop/Scan body) at one step:
/// its constants (initializers that are not graph inputs, Constant nodes; outer scopes included),
/// element types and ranks of its values, and a place to add new initializers.
/// </summary>
internal sealed class GraphScope
{
    private readonly Dictionary<string, TensorProto> _constants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DataType> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _ranks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long?[]> _shapes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _nonTensor = new(StringComparer.Ordinal);

    public GraphScope(GraphProto graph, GraphScope? parent, NameAllocator names, string path)
    {
        Graph = graph;
        Parent = parent;
        Names = names;
        Path = path;
        var inputs = graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var t in graph.Initializer)
        {
            if (!inputs.Contains(t.Name)) _constants[t.Name] = t;
            _types[t.Name] = (DataType)t.DataType;
            _ranks[t.Name] = t.Dims.Count;
            _shapes[t.Name] = t.Dims.Select(d => (long?)d).ToArray();
        }
        foreach (var v in graph.Input.Concat(graph.Output).Concat(graph.ValueInfo)) Declare(v);
        foreach (var n in graph.Node)
        {
            if (n.OpType == "Constant" && n.Domain is "" or "ai.onnx" && n.Output.Count == 1 && ConstantNodes.ToTensor(n) is { } t)
            {
                _constants[n.Output[0]] = t;
                _ranks[n.Output[0]] = t.Dims.Count;
            }
            ElementTypeRules.Propagate(n, ElementType, (name, t) => _types.TryAdd(name, t));
            foreach (var (name, kind) in NonTensorValues.Outputs(n, NonTensorKind)) _nonTensor.TryAdd(name, kind);
        }
    }

    public GraphProto Graph { get; }

    public GraphScope? Parent { get; }

    public NameAllocator Names { get; }

    /// <summary>Where this graph sits, for messages: "main graph" or "body of node 'loop_1' (Loop)".</summary>
    public string Path { get; }

    /// <summary>The constant value of <paramref name="name"/> here or in an outer scope.</summary>
    public TensorProto? Constant(string name) =>
        _constants.TryGetValue(name, out var t) ? t : Parent?.Constant(name);

    /// <summary>The element type of a value, when the model or the forward pass says it.</summary>
    public DataType? ElementType(string name) =>
        _types.TryGetValue(name, out var t) ? t : Parent?.ElementType(name);

    /// <summary>The rank of a value, when the model declares its shape.</summary>
    public int? Rank(string name) => _ranks.TryGetValue(name, out var r) ? r : Parent?.Rank(name);

    /// <summary>The declared shape of a value (null entries for symbolic dimensions), when the model declares it.</summary>
    public long?[]? Shape(string name) => _shapes.TryGetValue(name, out var s) ? s : Parent?.Shape(name);

    /// <summary>Adds a constant tensor to this graph under a fresh name and returns the name.</summary>
    public string AddInitializer(TensorProto tensor, string hint)
    {
        tensor.Name = Names.New(hint);
        Graph.Initializer.Add(tensor);
        _constants[tensor.Name] = tensor;
        _types[tensor.Name] = (DataType)tensor.DataType;
        _ranks[tensor.Name] = tensor.Dims.Count;
        return tensor.Name;
    }

    /// <summary>Records the element type of a value an adapter created.</summary>
    public void SetType(string name, DataType type) => _types[name] = type;

    /// <summary>"sequence" or "optional" for values of those kinds (declared or produced by sequence ops), else null.</summary>
    public string? NonTensorKind(string name) => _nonTensor.TryGetValue(name, out var k) ? k : Parent?.NonTensorKind(name);

    private void Declare(ValueInfoProto v)
    {
        if (NonTensorValues.KindOf(v.Type) is { } kind) _nonTensor[v.Name] = kind;
        if (v.Type?.TensorType is not { } tt) return;
        if (tt.ElemType != 0) _types[v.Name] = (DataType)tt.ElemType;
        if (tt.Shape is { } shape)
        {
            _ranks[v.Name] = shape.Dim.Count;
            _shapes[v.Name] = shape.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : (long?)null).ToArray();
        }
    }
}
