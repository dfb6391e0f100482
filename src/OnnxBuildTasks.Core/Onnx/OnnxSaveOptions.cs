namespace OnnxBuildTasks.Onnx;

/// <summary>How <see cref="OnnxModelFile.Save"/> lays out a model and its external data.</summary>
public sealed class OnnxSaveOptions
{
    /// <summary>The protobuf limit: a serialized model must stay below 2 GB.</summary>
    public const long ProtobufLimit = int.MaxValue;

    /// <summary>
    /// File name (beside the model) of the external data file; default <c>&lt;model file name&gt;_data</c>,
    /// e.g. <c>model.onnx_data</c> as optimum names it.
    /// </summary>
    public string? ExternalDataFileName { get; init; }

    /// <summary>When external data is used, initializers of at least this many bytes go external [1024].</summary>
    public long ExternalDataThreshold { get; init; } = 1024;

    /// <summary>Write large initializers to the external data file even when the model would fit in 2 GB.</summary>
    public bool ForceExternalData { get; init; }

    /// <summary>
    /// Bytes of top-level initializers supplied at save time, keyed by initializer name. Such initializers
    /// carry name, dims and data_type but no data in the model; their bytes are streamed into the file.
    /// </summary>
    public IReadOnlyDictionary<string, ITensorPayload>? Payloads { get; init; }

    /// <summary>
    /// Folder external tensors are read from when the model was not loaded by <see cref="OnnxModelFile.Load"/>
    /// (which remembers each external tensor's folder itself).
    /// </summary>
    public string? SourceDirectory { get; init; }

    /// <summary>
    /// Flush the model and data files to the storage device (fsync) before renaming them into place, and the
    /// folder after [false]. Atomicity (temp file + rename) holds either way; this adds durability across a
    /// power loss at the price of waiting for the disk. Plain saves behave like <c>cp</c>; the model cache
    /// flushes its entries itself before committing them.
    /// </summary>
    public bool Durable { get; init; }

    /// <summary>Inline size above which weights move to external data (the protobuf limit less room for structure); lowered by tests.</summary>
    internal long InlineLimit { get; init; } = ProtobufLimit - (64L << 20);

    /// <summary>Alignment of every tensor's offset in the external data file.</summary>
    public const int ExternalDataAlignment = 4096;
}
