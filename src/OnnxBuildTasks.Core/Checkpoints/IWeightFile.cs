namespace OnnxBuildTasks.Checkpoints;

/// <summary>One opened weight file (a safetensors file or a torch.save archive) and its tensors.</summary>
internal interface IWeightFile : IDisposable
{
    /// <summary>The file's path.</summary>
    string Path { get; }

    /// <summary>The tensors by name.</summary>
    IReadOnlyDictionary<string, CheckpointTensor> Tensors { get; }
}
