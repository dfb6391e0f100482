using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Opset;
using OnnxBuildTasks.Validation;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Tests.Opset;

/// <summary>Builds one-op test models, runs them in ONNX Runtime and checks conversions by execution.</summary>
internal static class OpsetTestKit
{
    public sealed record Io(string Name, DataType Type, long[] Shape);

    public static Io F(string name, params long[] shape) => new(name, DataType.Float, shape);

    public static ModelProto Model(int opset, Io[] inputs, Io[] outputs, NodeProto[] nodes, TensorProto[]? initializers = null, bool declareOutputShapes = true)
    {
        var g = new GraphProto { Name = "t" };
        foreach (var i in inputs) g.Input.Add(Value(i, true));
        foreach (var o in outputs) g.Output.Add(Value(o, declareOutputShapes));
        g.Node.AddRange(nodes);
        if (initializers is not null) g.Initializer.AddRange(initializers);
        var m = new ModelProto { IrVersion = IrVersionTable.MinimumIrVersion(opset) ?? 12, ProducerName = "opset-tests", Graph = g };
        if (m.IrVersion < 4)
            foreach (var t in g.Initializer) g.Input.Add(Value(new Io(t.Name, (DataType)t.DataType, t.Dims.ToArray()), true));
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return m;
    }

    public static ValueInfoProto Value(Io io, bool withShape)
    {
        var tt = new TypeProto.Types.Tensor { ElemType = (int)io.Type };
        if (withShape)
        {
            tt.Shape = new TensorShapeProto();
            foreach (var d in io.Shape) tt.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new ValueInfoProto { Name = io.Name, Type = new TypeProto { TensorType = tt } };
    }

    public static NodeProto Node(string op, string[] inputs, string[] outputs, params AttributeProto[] attrs)
    {
        var n = new NodeProto { OpType = op, Name = op.ToLowerInvariant() + "_0" };
        n.Input.AddRange(inputs);
        n.Output.AddRange(outputs);
        n.Attribute.AddRange(attrs);
        return n;
    }

    public static AttributeProto Int(string name, long v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = v };

    public static AttributeProto Float(string name, float v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = v };

    public static AttributeProto Str(string name, string v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(v) };

    public static AttributeProto Ints(string name, params long[] v)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(v);
        return a;
    }

    public static AttributeProto Floats(string name, params float[] v)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        a.Floats.AddRange(v);
        return a;
    }

    public static TensorProto I64(string name, params long[] v)
    {
        var t = new TensorProto { Name = name, DataType = (int)DataType.Int64 };
        t.Dims.Add(v.Length);
        t.Int64Data.AddRange(v);
        return t;
    }

    public static TensorProto F32(string name, long[] dims, params float[] v)
    {
        var t = new TensorProto { Name = name, DataType = (int)DataType.Float };
        t.Dims.AddRange(dims);
        t.FloatData.AddRange(v);
        return t;
    }

    public static TensorProto Bool(string name, bool v) => new() { Name = name, DataType = (int)DataType.Bool, Int32Data = { v ? 1 : 0 } };

    /// <summary>Deterministic float input data of a shape.</summary>
    public static HostTensor Random(long[] shape, int seed = 7)
    {
        var r = new Random(seed);
        long n = shape.Aggregate(1L, (a, b) => a * b);
        return HostTensor.Float(shape, Enumerable.Range(0, (int)n).Select(_ => (float)(r.NextDouble() * 4 - 2)).ToArray());
    }

    /// <summary>Runs the model in ONNX Runtime and returns every graph output.</summary>
    public static Dictionary<string, HostTensor> Run(ModelProto model, IReadOnlyDictionary<string, HostTensor> inputs)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(model.ToByteArray(), options);
        var names = session.InputNames.ToList();
        var values = names.Select(n => inputs[n].ToOrtValue()).ToList();
        try
        {
            // Held in a variable: ORT's Run takes the bare handle, so an inline `new RunOptions()` can be
            // finalized by the GC while the native run still reads it (a use-after-free that crashed the host).
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, names, values, session.OutputNames);
            return session.OutputNames.Zip(results).ToDictionary(p => p.First, p => HostTensor.FromOrtValue(p.Second));
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    public static void AssertClose(IReadOnlyDictionary<string, HostTensor> expected, IReadOnlyDictionary<string, HostTensor> actual, double atol, string what)
    {
        Assert.Subset(actual.Keys.ToHashSet(), expected.Keys.ToHashSet());
        foreach (var (name, e) in expected)
        {
            var a = actual[name];
            Assert.True(e.Shape.SequenceEqual(a.Shape), $"{what}: output '{name}' shape [{string.Join(",", a.Shape)}] != [{string.Join(",", e.Shape)}]");
            var ev = e.ToDoubles();
            var av = a.ToDoubles();
            double worst = 0;
            for (int i = 0; i < ev.Length; i++)
            {
                double d = double.IsNaN(ev[i]) && double.IsNaN(av[i]) ? 0 : Math.Abs(ev[i] - av[i]);
                if (double.IsNaN(d) || d > worst) worst = double.IsNaN(d) ? double.PositiveInfinity : d;
            }
            Assert.True(worst <= atol, $"{what}: output '{name}' differs by {worst} (> {atol})");
        }
    }

    /// <summary>The structural checker's findings as one string (empty when clean).</summary>
    public static string CheckerFindings(ModelProto model) => string.Join("; ", ModelChecker.Check(model, null));

    /// <summary>
    /// Runs <paramref name="model"/>, converts it to <paramref name="target"/>, checks it structurally
    /// and by execution, converts it back and checks again. Returns the converted model.
    /// </summary>
    public static ModelProto AssertRoundTrip(ModelProto model, int target, IReadOnlyDictionary<string, HostTensor> inputs, double atol = 1e-5, string[]? unspecifiedOutputs = null)
    {
        int source = (int)model.OpsetImport.Single(o => o.Domain == "").Version;
        var expected = Run(model, inputs);
        foreach (var name in unspecifiedOutputs ?? []) expected.Remove(name);
        var there = OpsetConverter.Convert(model, target).Model;
        Assert.Equal(target, there.OpsetImport.Single(o => o.Domain == "").Version);
        Assert.Equal("", CheckerFindings(there));
        AssertClose(expected, Run(there, inputs), atol, $"{source}->{target}");
        var back = OpsetConverter.Convert(there, source).Model;
        Assert.Equal("", CheckerFindings(back));
        AssertClose(expected, Run(back, inputs), atol, $"{source}->{target}->{source}");
        return there;
    }

    public static IEnumerable<string> Ops(ModelProto m) => m.Graph.Node.Select(n => n.OpType);
}
