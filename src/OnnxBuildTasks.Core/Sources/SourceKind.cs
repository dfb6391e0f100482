namespace OnnxBuildTasks.Sources;

/// <summary>What a resolved source holds, which decides the producing stage.</summary>
public enum SourceKind
{
    /// <summary>A ready ONNX model file (plus its external data files): taken as is.</summary>
    OnnxFile,

    /// <summary>A Hugging Face checkpoint folder (config.json + weights): exported.</summary>
    Checkpoint,
}
