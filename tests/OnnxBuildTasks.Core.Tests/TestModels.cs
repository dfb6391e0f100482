using Google.Protobuf;
using OnnxBuildTasks.Onnx;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Tests;

/// <summary>Small hand-built ONNX models for unit tests.</summary>
internal static class TestModels
{
    /// <summary>Y = X · W + B with X [batch, n] float, W [n, n], B [n]; opset 13, IR 7.</summary>
    public static ModelProto Linear(int n = 32, int seed = 1)
    {
        var random = new Random(seed);
        var w = Enumerable.Range(0, n * n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var b = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var graph = new GraphProto { Name = "linear" };
        graph.Input.Add(TensorValue("X", DataType.Float, "batch", n));
        graph.Output.Add(TensorValue("Y", DataType.Float, "batch", n));
        graph.Initializer.Add(FloatTensor("W", [n, n], w));
        graph.Initializer.Add(FloatTensor("B", [n], b));
        graph.Node.Add(Node("MatMul", ["X", "W"], ["XW"], "matmul"));
        graph.Node.Add(Node("Add", ["XW", "B"], ["Y"], "add"));
        var model = new ModelProto { IrVersion = 7, ProducerName = "tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return model;
    }

    public static TensorProto FloatTensor(string name, long[] dims, float[] values)
    {
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        var t = new TensorProto { Name = name, DataType = (int)DataType.Float, RawData = ByteString.CopyFrom(bytes) };
        t.Dims.Add(dims);
        return t;
    }

    public static ValueInfoProto TensorValue(string name, DataType type, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d is string s ? new TensorShapeProto.Types.Dimension { DimParam = s } : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(d) });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    public static NodeProto Node(string op, string[] inputs, string[] outputs, string name = "", string domain = "")
    {
        var node = new NodeProto { OpType = op, Name = name, Domain = domain };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        return node;
    }

    /// <summary>Moves every raw_data initializer's bytes out of the model into payloads.</summary>
    public static (ModelProto Model, Dictionary<string, ITensorPayload> Payloads) WithPayloads(ModelProto model)
    {
        var copy = model.Clone();
        var payloads = new Dictionary<string, ITensorPayload>();
        foreach (var t in copy.Graph.Initializer.Where(t => !t.RawData.IsEmpty))
        {
            payloads[t.Name] = TensorPayload.FromBytes(t.RawData.ToByteArray());
            t.RawData = ByteString.Empty;
        }
        return (copy, payloads);
    }
}
