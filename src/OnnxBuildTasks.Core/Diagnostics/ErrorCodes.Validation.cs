namespace OnnxBuildTasks.Diagnostics;

// OBT6xxx: validation (model structure, ONNX Runtime runs, comparisons, tensor files).
public static partial class ErrorCodes
{
    /// <summary>An inputs.json / outputs.json file is missing or malformed.</summary>
    public const string TensorJsonInvalid = "OBT6090";
}
