using System.Globalization;
using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Validation;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Tool.Commands;

/// <summary>The human-readable summary of an ONNX model that <c>inspect</c> prints.</summary>
internal static class ModelDescription
{
    public static void Write(ModelProto model, string path, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        var graph = model.Graph;
        output.WriteLine($"Model: {path}");
        output.WriteLine($"IR version: {model.IrVersion}");
        output.WriteLine($"Producer: {(model.ProducerName.Length == 0 ? "(none)" : (model.ProducerName + " " + model.ProducerVersion).Trim())}");
        output.WriteLine($"Opset imports: {string.Join(", ", model.OpsetImport.Select(o => $"{(o.Domain.Length == 0 ? "ai.onnx" : o.Domain)} {o.Version}"))}");

        var initializerNames = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        WriteValues(output, "Inputs", graph.Input.Where(i => !initializerNames.Contains(i.Name)).ToList());
        WriteValues(output, "Outputs", graph.Output);

        var initializers = ModelTensors.All(model).Where(t => t.Site != TensorSite.Attribute).Select(t => t.Tensor).ToList();
        long parameters = initializers.Sum(t => TensorDataLayout.ElementCount(t.Dims) ?? 0);
        long bytes = initializers.Sum(Bytes);
        int external = initializers.Count(ExternalData.IsExternal);
        var externalFiles = initializers.Where(ExternalData.IsExternal).Select(t => ExternalData.GetReference(t).Location).Distinct().ToList();
        output.WriteLine(string.Create(inv,
            $"Parameters: {parameters:N0} in {initializers.Count} initializers, {bytes:N0} bytes{FormatBytes(bytes)}{(external > 0 ? $"; {external} stored in {string.Join(", ", externalFiles)}" : "")}"));

        var histogram = AllNodes(graph)
            .GroupBy(n => n.Domain.Length == 0 || n.Domain == "ai.onnx" ? n.OpType : n.Domain + "." + n.OpType)
            .Select(g => (Op: g.Key, Count: g.Count()))
            .OrderByDescending(g => g.Count).ThenBy(g => g.Op, StringComparer.Ordinal)
            .ToList();
        output.WriteLine($"Operators ({histogram.Sum(h => h.Count)} nodes, {histogram.Count} kinds):");
        int width = histogram.Count == 0 ? 0 : histogram.Max(h => h.Op.Length);
        foreach (var (op, count) in histogram)
            output.WriteLine($"  {op.PadRight(width)}  {count.ToString(inv),5}");
    }

    private static void WriteValues(TextWriter output, string title, IReadOnlyList<ValueInfoProto> values)
    {
        output.WriteLine($"{title}:");
        int width = values.Count == 0 ? 0 : values.Max(v => v.Name.Length);
        foreach (var value in values)
        {
            var tensor = value.Type?.TensorType;
            var type = tensor is null ? "(not a tensor)" : TypeName((DataType)tensor.ElemType);
            var dims = tensor?.Shape is null ? "(unknown shape)"
                : "[" + string.Join(", ", tensor.Shape.Dim.Select(d =>
                    d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue.ToString(CultureInfo.InvariantCulture)
                    : d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam ? d.DimParam : "?")) + "]";
            output.WriteLine($"  {value.Name.PadRight(width)}  {type,-8} {dims}");
        }
    }

    private static string TypeName(DataType type)
    {
        try { return TensorElementTypes.JsonName(type); }
        catch (NotSupportedException) { return type.ToString().ToLowerInvariant(); }
    }

    private static long Bytes(TensorProto t)
    {
        if (ExternalData.IsExternal(t))
            return ExternalData.GetReference(t).Length ?? TensorDataLayout.ByteSize(t) ?? 0;
        return t.RawData.IsEmpty ? TensorDataLayout.ByteSize(t) ?? 0 : t.RawData.Length;
    }

    private static string FormatBytes(long bytes) => bytes switch
    {
        < 1024 => "",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $" ({bytes / 1024.0:0.#} KiB)"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $" ({bytes / (1024.0 * 1024):0.#} MiB)"),
        _ => string.Create(CultureInfo.InvariantCulture, $" ({bytes / (1024.0 * 1024 * 1024):0.##} GiB)"),
    };

    private static IEnumerable<NodeProto> AllNodes(GraphProto graph)
    {
        foreach (var node in graph.Node)
        {
            yield return node;
            foreach (var attribute in node.Attribute)
            {
                var subgraphs = attribute.G is null ? attribute.Graphs : attribute.Graphs.Prepend(attribute.G);
                foreach (var sub in subgraphs)
                    foreach (var inner in AllNodes(sub)) yield return inner;
            }
        }
    }
}
