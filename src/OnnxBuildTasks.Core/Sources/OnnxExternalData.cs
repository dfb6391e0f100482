using Google.Protobuf;
using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Sources;

/// <summary>Finds the external data files an ONNX model refers to, so they travel with it.</summary>
public static class OnnxExternalData
{
    /// <summary>
    /// The distinct external data locations of <paramref name="modelPath"/>, relative to its folder
    /// (forward slashes), in first-use order. Throws <see cref="ErrorCodes.OnnxFileUnreadable"/>
    /// naming <paramref name="itemName"/> when the file is not an ONNX model or a location leaves
    /// the model's folder.
    /// </summary>
    public static IReadOnlyList<string> Locations(string modelPath, string itemName)
    {
        ModelProto model;
        try
        {
            using var stream = File.OpenRead(modelPath);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or IOException)
        {
            throw new OnnxBuildException(ErrorCodes.OnnxFileUnreadable,
                $"{itemName}: '{modelPath}' is not a readable ONNX model ({e.Message}). Check that the file is a complete .onnx file.", e);
        }
        var found = new List<string>();
        if (model.Graph is not null) Collect(model.Graph, found);
        foreach (var location in found)
        {
            if (Path.IsPathRooted(location) || location.Split('/', '\\').Contains(".."))
            {
                throw new OnnxBuildException(ErrorCodes.OnnxFileUnreadable,
                    $"{itemName}: '{modelPath}' keeps external data at '{location}', outside the model's folder. Re-save the model with its external data beside it.");
            }
        }
        return found;
    }

    private static void Collect(GraphProto graph, List<string> found)
    {
        foreach (var t in graph.Initializer) Add(t, found);
        foreach (var s in graph.SparseInitializer)
        {
            Add(s.Values, found);
            Add(s.Indices, found);
        }
        foreach (var node in graph.Node)
        {
            foreach (var a in node.Attribute)
            {
                if (a.T is not null) Add(a.T, found);
                foreach (var t in a.Tensors) Add(t, found);
                if (a.G is not null) Collect(a.G, found);
                foreach (var g in a.Graphs) Collect(g, found);
            }
        }
    }

    private static void Add(TensorProto? tensor, List<string> found)
    {
        if (tensor is null || tensor.DataLocation != TensorProto.Types.DataLocation.External) return;
        var location = tensor.ExternalData.FirstOrDefault(e => e.Key == "location")?.Value;
        if (string.IsNullOrEmpty(location)) return;
        location = location.Replace('\\', '/');
        if (!found.Contains(location)) found.Add(location);
    }
}
