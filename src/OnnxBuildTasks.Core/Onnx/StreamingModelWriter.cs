using Google.Protobuf;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Onnx;

/// <summary>
/// Serializes a model to a stream the way Google.Protobuf would (fields in number order), but writes
/// the main graph's initializers one at a time and streams deferred payloads as raw_data, computing
/// every length prefix from sizes, so no serialized copy of the weights is ever built in memory.
/// The message's own bytes are written first with a hole left for each payload; the holes are then
/// filled by <see cref="PayloadFill"/>, several payloads at a time.
/// </summary>
internal static class StreamingModelWriter
{
    private const int ModelGraphField = 7;
    private const int GraphInitializerField = 5;
    private const int TensorRawDataField = 9;

    public static void Write(ModelProto model, IReadOnlyDictionary<TensorProto, ITensorPayload> inlinePayloads, FileStream destination)
    {
        var slots = new List<PayloadSlot>();
        // Split the model around field 7 (graph) and the graph around field 5 (initializer); the
        // pieces, written in order, are exactly the message's own serialization.
        var graph = model.Graph;
        var modelHead = new ModelProto
        {
            IrVersion = model.IrVersion, ProducerName = model.ProducerName, ProducerVersion = model.ProducerVersion,
            Domain = model.Domain, ModelVersion = model.ModelVersion, DocString = model.DocString,
        };
        var modelTail = model.Clone();
        modelTail.Graph = null;
        modelTail.IrVersion = 0; modelTail.ProducerName = ""; modelTail.ProducerVersion = "";
        modelTail.Domain = ""; modelTail.ModelVersion = 0; modelTail.DocString = "";

        var output = new CodedOutputStream(destination, leaveOpen: true);
        modelHead.WriteTo(output);
        if (graph is not null)
        {
            var graphHead = new GraphProto { Name = graph.Name };
            graphHead.Node.AddRange(graph.Node);
            var graphTail = graph.Clone();
            graphTail.Node.Clear();
            graphTail.Name = "";
            graphTail.Initializer.Clear();

            long graphSize = graphHead.CalculateSize() + graphTail.CalculateSize();
            foreach (var tensor in graph.Initializer)
            {
                long size = TensorSize(tensor, inlinePayloads);
                graphSize += 1 + CodedOutputStream.ComputeLengthSize(CheckedInt(size)) + size;
            }
            long total = modelHead.CalculateSize() + 1 + CodedOutputStream.ComputeLengthSize(CheckedInt(graphSize)) + graphSize + modelTail.CalculateSize();
            CheckedInt(total);

            output.WriteTag(ModelGraphField, WireFormat.WireType.LengthDelimited);
            output.WriteLength((int)graphSize);
            graphHead.WriteTo(output);
            foreach (var tensor in graph.Initializer)
            {
                output.WriteTag(GraphInitializerField, WireFormat.WireType.LengthDelimited);
                if (inlinePayloads.TryGetValue(tensor, out var payload))
                    WriteTensorWithPayload(tensor, payload, output, destination, slots);
                else
                    output.WriteMessage(tensor);
            }
            graphTail.WriteTo(output);
        }
        modelTail.WriteTo(output);
        output.Flush();
        destination.Flush();
        PayloadFill.Write(destination.SafeFileHandle, slots);
    }

    private static long TensorSize(TensorProto tensor, IReadOnlyDictionary<TensorProto, ITensorPayload> inlinePayloads)
    {
        long size = tensor.CalculateSize();
        if (inlinePayloads.TryGetValue(tensor, out var payload) && payload.Length > 0)
            size += 1 + CodedOutputStream.ComputeLengthSize(CheckedInt(payload.Length)) + payload.Length;
        return size;
    }

    private static void WriteTensorWithPayload(TensorProto tensor, ITensorPayload payload, CodedOutputStream output, FileStream destination, List<PayloadSlot> slots)
    {
        // Fields 1-8 (dims .. name) come before raw_data (9); the rest after it.
        var head = new TensorProto { DataType = tensor.DataType, Segment = tensor.Segment, Name = tensor.Name };
        head.Dims.Add(tensor.Dims);
        var tail = tensor.Clone();
        tail.Dims.Clear();
        tail.DataType = 0;
        tail.Segment = null;
        tail.Name = "";

        output.WriteLength(CheckedInt(TensorSize(tensor, new Dictionary<TensorProto, ITensorPayload> { [tensor] = payload })));
        head.WriteTo(output);
        if (payload.Length > 0)
        {
            output.WriteTag(TensorRawDataField, WireFormat.WireType.LengthDelimited);
            output.WriteLength((int)payload.Length);
            output.Flush();
            // Leave a hole for the payload, filled once the rest of the message is written.
            slots.Add(new PayloadSlot(tensor.Name, payload, destination.Position));
            destination.Seek(payload.Length, SeekOrigin.Current);
        }
        tail.WriteTo(output);
    }

    private static int CheckedInt(long size) => size <= OnnxSaveOptions.ProtobufLimit ? (int)size
        : throw new OnnxBuildException(ErrorCodes.ModelWriteFailed,
            $"The model would be {size} bytes inline, over the 2 GB protobuf limit even with external data; lower OnnxSaveOptions.ExternalDataThreshold.");
}
