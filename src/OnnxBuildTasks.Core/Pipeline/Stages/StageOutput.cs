namespace OnnxBuildTasks.Pipeline.Stages;

/// <summary>
/// The model file(s) a stage left in a folder: the .onnx files relative to <see cref="Directory"/>
/// (external data files sit beside them) and the default-domain opset they are at.
/// </summary>
internal sealed record StageOutput(string Directory, IReadOnlyList<string> ModelFiles, int? Opset, double? DefaultAtol = null)
{
    public string PathOf(string modelFile) => Path.Combine(Directory, modelFile);
}
