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
        foreach (var (tensor, _) in ModelTensors.All(model))
        {
            if (!ExternalData.IsExternal(tensor)) continue;
            var location = tensor.ExternalData.FirstOrDefault(e => e.Key == "location")?.Value;
            if (string.IsNullOrEmpty(location)) continue;
            if (ExternalData.UnsafeLocationReason(location) is { } reason)
            {
                throw new OnnxBuildException(ErrorCodes.OnnxFileUnreadable,
                    $"{itemName}: '{modelPath}' keeps external data at '{location}', outside the model's folder ({reason}). Re-save the model with its external data beside it.");
            }
            location = location.Replace('\\', '/');
            if (!found.Contains(location)) found.Add(location);
        }
        return found;
    }
}
