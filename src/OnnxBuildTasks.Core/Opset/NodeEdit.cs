using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Opset;

/// <summary>
/// One node being moved across one opset step: the adapter's view of the node, its graph and the
/// nodes it may add before or instead of it. Helpers cover the recurring chores (attributes,
/// constant inputs, axes) and <see cref="Fail"/> makes the coded error naming node, op and versions.
/// </summary>
internal sealed class NodeEdit(NodeProto node, GraphScope scope, int fromOpset, int toOpset)
{
    public NodeProto Node { get; } = node;

    public GraphScope Scope { get; } = scope;

    public int FromOpset { get; } = fromOpset;

    public int ToOpset { get; } = toOpset;

    /// <summary>Nodes to insert before <see cref="Node"/>, in order.</summary>
    public List<NodeProto> Before { get; } = [];

    /// <summary>Nodes to insert after <see cref="Node"/>, in order.</summary>
    public List<NodeProto> After { get; } = [];

    /// <summary>Set when the node is replaced entirely by <see cref="Before"/>.</summary>
    public bool Removed { get; private set; }

    /// <summary>Facts worth reporting about the rewrite (e.g. a computation moved to another type).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Checks the adapter could not make (e.g. an element type the model does not declare).</summary>
    public List<string> Unverified { get; } = [];

    /// <summary>Set by any helper that changes something, for the report.</summary>
    public bool Changed { get; set; }

    public string Describe => $"node '{DisplayName}' ({Node.OpType}) in the {Scope.Path}";

    private string DisplayName => Node.Name.Length > 0 ? Node.Name : (Node.Output.Count > 0 ? "-> " + Node.Output[0] : "?");

    /// <summary>The coded error for this node and step; throw it.</summary>
    public OnnxBuildException Fail(string code, string reason) =>
        new(code, $"Cannot convert {Describe} from opset {FromOpset} to {ToOpset}: {reason}.");

    // ---- attributes ----
    public AttributeProto? Attr(string name) => Node.Attribute.FirstOrDefault(a => a.Name == name);

    public long Int(string name, long fallback) => Attr(name) is { } a ? a.I : fallback;

    public float Float(string name, float fallback) => Attr(name) is { } a ? a.F : fallback;

    public string Str(string name, string fallback) => Attr(name) is { } a ? a.S.ToStringUtf8() : fallback;

    public long[]? Ints(string name) => Attr(name) is { } a ? a.Ints.ToArray() : null;

    public void RemoveAttr(string name)
    {
        if (Attr(name) is { } a) { Node.Attribute.Remove(a); Changed = true; }
    }

    public void SetAttr(AttributeProto attribute)
    {
        RemoveAttr(attribute.Name);
        Node.Attribute.Add(attribute);
        Changed = true;
    }

    public void SetInt(string name, long v) => SetAttr(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = v });

    public void SetFloat(string name, float v) => SetAttr(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = v });

    public void SetString(string name, string v) =>
        SetAttr(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8(v) });

    public void SetInts(string name, IEnumerable<long> v)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(v);
        SetAttr(a);
    }

    public void SetFloats(string name, IEnumerable<float> v)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        a.Floats.AddRange(v);
        SetAttr(a);
    }

    // ---- inputs ----
    public bool HasInput(int i) => i < Node.Input.Count && Node.Input[i].Length > 0;

    public string Input(int i) => i < Node.Input.Count ? Node.Input[i] : "";

    public void SetInput(int i, string name)
    {
        while (Node.Input.Count <= i) Node.Input.Add("");
        Node.Input[i] = name;
        TrimInputs();
        Changed = true;
    }

    /// <summary>Drops inputs from index <paramref name="i"/> on.</summary>
    public void TruncateInputs(int i)
    {
        while (Node.Input.Count > i) Node.Input.RemoveAt(Node.Input.Count - 1);
        Changed = true;
    }

    private void TrimInputs()
    {
        while (Node.Input.Count > 0 && Node.Input[^1].Length == 0) Node.Input.RemoveAt(Node.Input.Count - 1);
    }

    public DataType? TypeOf(string value) => value.Length == 0 ? null : Scope.ElementType(value);

    /// <summary>The input's element type, or float when the model does not say (for typing new constants).</summary>
    public DataType FloatTypeOf(int input) => HasInput(input) && TypeOf(Input(input)) is { } t && TensorValues.IsFloating(t) ? t : DataType.Float;

    /// <summary>The integer values of a constant input, or null when it is not constant.</summary>
    public long[]? ConstInts(int i) => HasInput(i) && Scope.Constant(Input(i)) is { } t ? TensorValues.ReadInts(t) : null;

    /// <summary>The floating values of a constant input, or null when it is not constant.</summary>
    public double[]? ConstFloats(int i) => HasInput(i) && Scope.Constant(Input(i)) is { } t ? TensorValues.ReadFloats(t) : null;

    /// <summary>The integer values of input <paramref name="i"/>, which must be constant to become attribute <paramref name="what"/>.</summary>
    public long[] RequireConstInts(int i, string what) => ConstInts(i)
        ?? throw Fail(ErrorCodes.OpsetNonConstantInput,
            $"input '{Input(i)}' ({what}) is computed at run time but opset {ToOpset} needs it as a constant attribute; keep opset >= {FromOpset}");

    public double[] RequireConstFloats(int i, string what) => ConstFloats(i)
        ?? throw Fail(ErrorCodes.OpsetNonConstantInput,
            $"input '{Input(i)}' ({what}) is computed at run time but opset {ToOpset} needs it as a constant attribute; keep opset >= {FromOpset}");

    public string AddInt64s(long[] values, string hint, bool scalar = false) => Scope.AddInitializer(TensorValues.Int64s("", values, scalar), hint);

    public string AddFloats(DataType type, double[] values, long[] dims, string hint) => Scope.AddInitializer(TensorValues.Floats("", type, values, dims), hint);

    /// <summary>A static dimension of a value, when the model declares it.</summary>
    public long? Dim(string value, int axis) => Scope.Shape(value) is { } s && axis >= 0 && axis < s.Length ? s[axis] : null;

    /// <summary>Renames output <paramref name="i"/> to a fresh name and returns it (the old name is then written by a node in <see cref="After"/>).</summary>
    public string RenameOutput(int i)
    {
        var fresh = Scope.Names.New(Node.Output[i]);
        Node.Output[i] = fresh;
        Changed = true;
        return fresh;
    }

    /// <summary>Rank of input <paramref name="i"/>, or the coded error saying why it is needed.</summary>
    public int RequireRank(int i, string why) => Scope.Rank(Input(i))
        ?? throw Fail(ErrorCodes.OpsetRankUnknown, $"{why} needs the rank of input '{Input(i)}', which the model does not declare");

    /// <summary>Axes made non-negative (needs the rank only when one is negative).</summary>
    public long[] NonNegativeAxes(long[] axes, int input, string why)
    {
        if (axes.All(a => a >= 0)) return axes;
        int rank = RequireRank(input, why);
        return axes.Select(a => a < 0 ? a + rank : a).ToArray();
    }

    // ---- new nodes ----
    /// <summary>Adds a node before this one and returns its first output name.</summary>
    public string Emit(string op, string[] inputs, params AttributeProto[] attributes) => EmitMany(op, inputs, 1, attributes)[0];

    /// <summary>Adds a node with <paramref name="outputs"/> fresh outputs before this one.</summary>
    public string[] EmitMany(string op, string[] inputs, int outputs, params AttributeProto[] attributes)
    {
        var n = new NodeProto { OpType = op, Name = Scope.Names.New((Node.Name.Length > 0 ? Node.Name : Node.OpType) + "_" + op) };
        n.Input.AddRange(inputs);
        for (int i = 0; i < outputs; i++) n.Output.Add(Scope.Names.New(n.Name));
        n.Attribute.AddRange(attributes);
        Before.Add(n);
        ElementTypeRules.Propagate(n, Scope.ElementType, Scope.SetType);
        Changed = true;
        return [.. n.Output];
    }

    /// <summary>Adds a node writing the given outputs (used when replacing this node).</summary>
    public void EmitInto(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes) =>
        EmitInto(Before, op, inputs, outputs, attributes);

    /// <summary>Adds a node after this one, reading the node's (renamed) outputs.</summary>
    public void EmitAfter(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes) =>
        EmitInto(After, op, inputs, outputs, attributes);

    private void EmitInto(List<NodeProto> list, string op, string[] inputs, string[] outputs, AttributeProto[] attributes)
    {
        var n = new NodeProto { OpType = op, Name = Scope.Names.New((Node.Name.Length > 0 ? Node.Name : Node.OpType) + "_" + op) };
        n.Input.AddRange(inputs);
        n.Output.AddRange(outputs);
        n.Attribute.AddRange(attributes);
        list.Add(n);
        ElementTypeRules.Propagate(n, Scope.ElementType, Scope.SetType);
        Changed = true;
    }

    /// <summary>Drops this node; the nodes in <see cref="Before"/> take its place.</summary>
    public void Remove()
    {
        Removed = true;
        Changed = true;
    }

    public static AttributeProto IntAttr(string name, long v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = v };

    public static AttributeProto FloatAttr(string name, float v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = v };

    public static AttributeProto StringAttr(string name, string v) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8(v) };

    public static AttributeProto IntsAttr(string name, IEnumerable<long> v)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(v);
        return a;
    }
}
