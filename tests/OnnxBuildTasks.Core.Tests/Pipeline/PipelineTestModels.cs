using Google.Protobuf;
using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Tests.Pipeline;

/// <summary>Small ONNX files for pipeline tests, made from the fixture reference models.</summary>
internal static class PipelineTestModels
{
    public static string ReferenceOnnx => Fixtures.Path("hf-tiny", "distilbert-text-classification", "reference.onnx");

    public static string CheckpointFolder => Fixtures.Path("hf-tiny", "distilbert-text-classification");

    /// <summary>Copies the reference model into <paramref name="folder"/> under <paramref name="name"/>.</summary>
    public static string CopyReference(string folder, string name = "model.onnx")
    {
        var path = Path.Combine(folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(ReferenceOnnx, path, overwrite: true);
        return path;
    }

    /// <summary>
    /// Writes the reference model to <paramref name="folder"/>/<paramref name="name"/> with every
    /// raw-data initializer moved to <paramref name="dataName"/> (4 KB aligned offsets).
    /// </summary>
    public static string WriteWithExternalData(string folder, string name, string dataName)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(ReferenceOnnx));
        Directory.CreateDirectory(folder);
        using (var data = File.Create(Path.Combine(folder, dataName)))
        {
            foreach (var tensor in model.Graph.Initializer.Where(t => t.RawData.Length > 0))
            {
                var offset = (data.Length + 4095) / 4096 * 4096;
                data.SetLength(offset);
                data.Position = offset;
                tensor.RawData.WriteTo(data);
                tensor.DataLocation = TensorProto.Types.DataLocation.External;
                tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = dataName });
                tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString() });
                tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = tensor.RawData.Length.ToString() });
                tensor.RawData = ByteString.Empty;
            }
        }
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }
}
