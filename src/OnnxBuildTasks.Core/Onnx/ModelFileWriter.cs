using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Onnx;

/// <summary>
/// Writes a <see cref="SavePlan"/> to disk atomically: the external data file and the model are written
/// to temporary files beside their targets, then renamed into place (data first), or not at all.
/// </summary>
internal static class ModelFileWriter
{
    private const int BufferSize = 1 << 20;

    public static void Save(ModelProto model, string path, OnnxSaveOptions options)
    {
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath)!;
        var plan = SavePlan.Create(model, fullPath, options);
        var dataPath = Path.Combine(folder, plan.DataFileName);
        var suffix = ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        var modelTemp = fullPath + suffix;
        var dataTemp = dataPath + suffix;
        try
        {
            Directory.CreateDirectory(folder);
            if (plan.External.Count > 0)
                WriteDataFile(plan, dataTemp);
            using (var stream = new FileStream(modelTemp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize))
            {
                StreamingModelWriter.Write(plan.Model, plan.InlinePayloads, stream);
                stream.Flush(flushToDisk: true);
            }
            if (plan.External.Count > 0)
                File.Move(dataTemp, dataPath, overwrite: true);
            File.Move(modelTemp, fullPath, overwrite: true);
            // A data file of ours left from an earlier save with external data would now be stale.
            if (plan.External.Count == 0 && File.Exists(dataPath))
                File.Delete(dataPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OnnxBuildException(ErrorCodes.ModelWriteFailed, $"Could not write ONNX model '{path}': {e.Message}", e);
        }
        finally
        {
            TryDelete(modelTemp);
            TryDelete(dataTemp);
        }
    }

    private static void WriteDataFile(SavePlan plan, string dataTemp)
    {
        using var stream = new FileStream(dataTemp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize);
        foreach (var (tensor, source, offset) in plan.External)
        {
            // Zero padding up to the tensor's aligned offset.
            if (stream.Position < offset)
                stream.Write(new byte[offset - stream.Position]);
            StreamingModelWriter.WritePayload(tensor.Name, source, stream);
        }
        stream.Flush(flushToDisk: true);
    }

    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
