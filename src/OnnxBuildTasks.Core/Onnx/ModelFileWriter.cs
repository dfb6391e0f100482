using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Onnx;

/// <summary>
/// Writes a <see cref="SavePlan"/> to disk atomically: the external data file and the model are written
/// to temporary files beside their targets, then renamed into place (data first), or not at all.
/// Flushed to the disk first only when <see cref="OnnxSaveOptions.Durable"/> asks. An external data
/// file whose layout is unchanged (every tensor from one source file at the same offset) is copied
/// by the kernel (<see cref="File.Copy(string, string)"/>: reflink or copy_file_range) instead of
/// through managed buffers; other layouts are filled tensor by tensor by <see cref="PayloadFill"/> (in parallel,
/// source file ranges copied in the kernel on Linux).
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
        // 8 random hex digits (formatting a Guid takes vectorised code compiled at first use in every process).
        var suffix = ".tmp-" + Random.Shared.Next().ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        var modelTemp = fullPath + suffix;
        var dataTemp = dataPath + suffix;
        try
        {
            Directory.CreateDirectory(folder);
            if (plan.External.Count > 0)
                WriteDataFile(plan, dataTemp, options.Durable);
            using (var stream = new FileStream(modelTemp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize))
            {
                StreamingModelWriter.Write(plan.Model, plan.InlinePayloads, stream);
                if (options.Durable) DiskFlush.Stream(stream, modelTemp);
            }
            if (plan.External.Count > 0)
                File.Move(dataTemp, dataPath, overwrite: true);
            File.Move(modelTemp, fullPath, overwrite: true);
            if (options.Durable) DiskFlush.Directory(folder);
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

    private static void WriteDataFile(SavePlan plan, string dataTemp, bool durable)
    {
        if (UnchangedLayoutSource(plan) is { } sourceFile)
        {
            CopyWhole(sourceFile, dataTemp, plan.External[^1].Offset + plan.External[^1].Payload.Length, durable);
            return;
        }
        using var stream = new FileStream(dataTemp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
        // Every tensor has its aligned offset already; the gaps between them read as zeros (holes).
        var last = plan.External[^1];
        stream.SetLength(last.Offset + last.Payload.Length);
        PayloadFill.Write(stream.SafeFileHandle, plan.External);
        if (durable) DiskFlush.Stream(stream, dataTemp);
    }

    /// <summary>
    /// The one source data file every external tensor comes from at the offset it keeps, or null. Bytes
    /// between tensors are then the source's (our own saves pad with zeros), which no tensor reads.
    /// </summary>
    private static string? UnchangedLayoutSource(SavePlan plan)
    {
        string? path = null;
        foreach (var (_, source, offset) in plan.External)
        {
            if (source is not FileRangePayload range || range.Offset != offset || (path is not null && range.Path != path))
                return null;
            path = range.Path;
        }
        return path;
    }

    private static void CopyWhole(string source, string dataTemp, long end, bool durable)
    {
        File.Copy(source, dataTemp);
        using var stream = new FileStream(dataTemp, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1);
        if (stream.Length < end)
            throw new EndOfStreamException($"'{source}' ends at byte {stream.Length}, before its last tensor's end ({end}).");
        if (stream.Length > end)
            stream.SetLength(end); // bytes no tensor references any more
        if (durable) DiskFlush.Stream(stream, dataTemp);
    }

    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
