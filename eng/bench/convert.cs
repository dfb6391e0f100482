#:project ../../src/OnnxBuildTasks.Core/OnnxBuildTasks.Core.csproj
// Opset conversion benchmark helper (driven by convert.sh).
//   build <dir>                 writes a BERT-base-sized opset-13 model (~440 MB of weights, external data) with our own code
//   convert <in> <out> <opset>  load + convert + save (external data streamed); prints seconds and peak RSS
using System.Diagnostics;
using Google.Protobuf;
using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Opset;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

switch (args[0])
{
    case "build":
        BertBase.Build(args[1]);
        break;
    case "convert":
        var watch = Stopwatch.StartNew();
        var model = OnnxModelFile.Load(args[1]);
        var loaded = watch.Elapsed.TotalSeconds;
        var result = OpsetConverter.Convert(model, int.Parse(args[3]));
        var converted = watch.Elapsed.TotalSeconds;
        OnnxModelFile.Save(result.Model, args[2]);
        watch.Stop();
        Console.WriteLine($"seconds={watch.Elapsed.TotalSeconds:0.000} peak_rss_kib={PeakRssKib()} load={loaded:0.000} convert={converted - loaded:0.000} " +
            $"save={watch.Elapsed.TotalSeconds - converted:0.000} nodes_changed={result.Report.NodesChanged} steps={result.Report.Steps.Count}");
        break;
}

static long PeakRssKib() =>
    long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);

static class BertBase
{
    const int Hidden = 768, Heads = 12, Layers = 12, Inner = 3072, Vocab = 30522, Positions = 512;
    static readonly GraphProto G = new() { Name = "bert-base" };
    static readonly Dictionary<string, ITensorPayload> Payloads = new();
    static int _n;

    public static void Build(string dir)
    {
        Directory.CreateDirectory(dir);
        G.Input.Add(Io("input_ids", DataType.Int64, "batch", "sequence"));
        G.Input.Add(Io("attention_mask", DataType.Int64, "batch", "sequence"));
        G.Input.Add(Io("token_type_ids", DataType.Int64, "batch", "sequence"));
        var words = Node("Gather", Weight("word_embeddings", Vocab, Hidden), "input_ids");
        var seqLen = Node("Gather", Node("Shape", "input_ids"), Ints("one", [1]));
        var positions = Node("Slice", Ints("position_ids", Enumerable.Range(0, Positions).Select(i => (long)i).ToArray()), Ints("zero", [0]), seqLen);
        var pos = Node("Gather", Weight("position_embeddings", Positions, Hidden), positions);
        var types = Node("Gather", Weight("token_type_embeddings", 2, Hidden), "token_type_ids");
        var h = LayerNorm(Node("Add", Node("Add", words, pos), types), "embeddings");
        var mask = Node("Unsqueeze", "attention_mask", Ints("mask_axes", [1, 2]));
        var inverted = Node("Sub", Scalar("one_f", 1f), Node("Cast", [mask], ("to", (long)DataType.Float)));
        var bias = Node("Mul", inverted, Scalar("neg_big", -10000f));
        for (int l = 0; l < Layers; l++) h = Layer(h, bias, $"layer{l}");
        h = Rename(h, "last_hidden_state");
        var first = Node("Gather", [h, Ints("cls", [0], scalar: true)], ("axis", 1L));
        var pooled = Rename(Node("Tanh", Linear(first, Hidden, Hidden, "pooler")), "pooler_output");
        G.Output.Add(Io(h, DataType.Float, "batch", "sequence", Hidden));
        G.Output.Add(Io(pooled, DataType.Float, "batch", Hidden));
        var model = new ModelProto { IrVersion = 7, ProducerName = "obt-bench", Graph = G };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        var path = Path.Combine(dir, "bert13.onnx");
        OnnxModelFile.Save(model, path, new OnnxSaveOptions { Payloads = Payloads, ForceExternalData = true });
        var findings = OnnxBuildTasks.Validation.ModelChecker.Check(OnnxModelFile.Load(path), dir);
        if (findings.Count > 0) throw new InvalidOperationException(string.Join("; ", findings.Take(5)));
    }

    static string Layer(string x, string maskBias, string p)
    {
        string Heads4(string t, long[] perm) =>
            Node("Transpose", [Node("Reshape", t, Ints(p + "_heads_shape" + _n, [0, 0, Heads, Hidden / Heads]))], ("perm", perm));
        var q = Heads4(Linear(x, Hidden, Hidden, p + "_q"), [0, 2, 1, 3]);
        var k = Heads4(Linear(x, Hidden, Hidden, p + "_k"), [0, 2, 3, 1]);
        var v = Heads4(Linear(x, Hidden, Hidden, p + "_v"), [0, 2, 1, 3]);
        var scores = Node("Add", Node("Div", Node("MatMul", q, k), Scalar(p + "_scale", 8f)), maskBias);
        var probs = Node("Softmax", [scores], ("axis", -1L));
        var ctx = Node("Transpose", [Node("MatMul", probs, v)], ("perm", new long[] { 0, 2, 1, 3 }));
        var merged = Node("Reshape", ctx, Ints(p + "_merge_shape", [0, 0, Hidden]));
        var attn = LayerNorm(Node("Add", Linear(merged, Hidden, Hidden, p + "_o"), x), p + "_ln1");
        var up = Linear(attn, Hidden, Inner, p + "_up");
        var gelu = Node("Mul", Node("Mul", up, Node("Add", Node("Erf", Node("Div", up, Scalar(p + "_sqrt2", MathF.Sqrt(2)))), Scalar(p + "_one", 1f))), Scalar(p + "_half", 0.5f));
        return LayerNorm(Node("Add", Linear(gelu, Inner, Hidden, p + "_down"), attn), p + "_ln2");
    }

    static string Linear(string x, int i, int o, string p) => Node("Add", Node("MatMul", x, Weight(p + "_w", i, o)), Weight(p + "_b", o));

    static string LayerNorm(string x, string p)
    {
        var mean = Node("ReduceMean", [x], ("axes", new long[] { -1 }));
        var d = Node("Sub", x, mean);
        var variance = Node("ReduceMean", [Node("Pow", d, Scalar(p + "_two", 2f))], ("axes", new long[] { -1 }));
        var n = Node("Div", d, Node("Sqrt", Node("Add", variance, Scalar(p + "_eps", 1e-12f))));
        return Node("Add", Node("Mul", n, Weight(p + "_gamma", Hidden)), Weight(p + "_beta", Hidden));
    }

    static string Node(string op, params string[] inputs) => Node(op, inputs, []);

    static string Node(string op, string[] inputs, params (string Name, object Value)[] attrs)
    {
        var n = new NodeProto { OpType = op, Name = $"{op}_{_n++}" };
        n.Input.AddRange(inputs);
        n.Output.Add(n.Name + "_out");
        foreach (var (name, value) in attrs)
            n.Attribute.Add(value switch
            {
                long i => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = i },
                long[] ints => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints, Ints = { ints } },
                _ => throw new ArgumentException(name),
            });
        G.Node.Add(n);
        return n.Output[0];
    }

    static string Rename(string value, string name)
    {
        G.Node.Single(n => n.Output.Contains(value)).Output[0] = name;
        return name;
    }

    static string Weight(string name, params long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)DataType.Float };
        t.Dims.AddRange(dims);
        G.Initializer.Add(t);
        Payloads[name] = new FloatPattern(dims.Aggregate(1L, (a, b) => a * b) * 4, name.Length);
        return name;
    }

    static string Scalar(string name, float v)
    {
        G.Initializer.Add(new TensorProto { Name = name, DataType = (int)DataType.Float, RawData = ByteString.CopyFrom(BitConverter.GetBytes(v)) });
        return name;
    }

    static string Ints(string name, long[] v, bool scalar = false)
    {
        var t = new TensorProto { Name = name, DataType = (int)DataType.Int64 };
        if (!scalar) t.Dims.Add(v.Length);
        t.Int64Data.AddRange(v);
        G.Initializer.Add(t);
        return name;
    }

    static ValueInfoProto Io(string name, DataType type, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d is string s ? new TensorShapeProto.Types.Dimension { DimParam = s } : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(d) });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }
}

/// <summary>Small finite float values in a repeating pattern, streamed without holding the tensor.</summary>
sealed class FloatPattern(long length, int seed) : ITensorPayload
{
    public long Length => length;

    public void WriteTo(Stream destination)
    {
        var chunk = new byte[1 << 20];
        for (int i = 0; i < chunk.Length / 4; i++) BitConverter.TryWriteBytes(chunk.AsSpan(i * 4), ((i + seed) % 97 - 48) * 0.001f);
        for (long left = length; left > 0; left -= chunk.Length)
            destination.Write(chunk, 0, (int)Math.Min(chunk.Length, left));
    }
}
