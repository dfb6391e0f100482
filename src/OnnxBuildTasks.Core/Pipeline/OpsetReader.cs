using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Pipeline;

/// <summary>Reads the default-domain opset a model imports.</summary>
internal static class OpsetReader
{
    /// <summary>The version imported for the default ("" or "ai.onnx") domain, or null when none is.</summary>
    public static int? DefaultOpset(string modelPath)
    {
        using var stream = File.OpenRead(modelPath);
        var model = ModelProto.Parser.ParseFrom(stream);
        var import = model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx");
        return import is null ? null : (int)import.Version;
    }
}
