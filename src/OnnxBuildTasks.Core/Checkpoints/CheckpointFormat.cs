namespace OnnxBuildTasks.Checkpoints;

/// <summary>The weight file format of a checkpoint folder.</summary>
public enum CheckpointFormat
{
    /// <summary>Pick automatically: safetensors (single or sharded) when present, else pytorch_model.bin (single or sharded).</summary>
    Auto,
    /// <summary>model.safetensors or model.safetensors.index.json with its shards.</summary>
    Safetensors,
    /// <summary>pytorch_model.bin or pytorch_model.bin.index.json with its shards (torch.save zip format).</summary>
    PyTorch,
}
