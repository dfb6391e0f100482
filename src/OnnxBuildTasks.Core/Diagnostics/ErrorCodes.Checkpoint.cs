namespace OnnxBuildTasks.Diagnostics;

// OBT3000-OBT3199: checkpoints (safetensors, PyTorch .bin, config.json, the tensor view).
public static partial class ErrorCodes
{
    /// <summary>The checkpoint folder does not exist or holds no weight file this engine reads.</summary>
    public const string CheckpointNotFound = "OBT3001";

    /// <summary>A weight file or shard cannot be opened or read (I/O error, file vanished, too large to map).</summary>
    public const string CheckpointFileUnreadable = "OBT3002";

    /// <summary>A safetensors header is malformed: bad length, invalid JSON, or an entry that is not a tensor description.</summary>
    public const string SafetensorsHeaderInvalid = "OBT3010";

    /// <summary>A safetensors tensor's data range is invalid: outside the file, overlapping, leaving gaps, or not matching shape × dtype size.</summary>
    public const string SafetensorsDataInvalid = "OBT3011";

    /// <summary>A tensor name appears twice (in one safetensors header, one state dict, or two shards).</summary>
    public const string TensorNameDuplicate = "OBT3012";

    /// <summary>A tensor has a dtype this engine does not read (e.g. F8_E4M3, U32, complex); only F64, F32, F16, BF16, I64, I32, I16, I8, U8 and BOOL are supported.</summary>
    public const string TensorDTypeUnsupported = "OBT3013";

    /// <summary>A shard index (model.safetensors.index.json / pytorch_model.bin.index.json) is malformed or disagrees with its shards.</summary>
    public const string ShardIndexInvalid = "OBT3020";

    /// <summary>A shard named by the shard index is not in the checkpoint folder.</summary>
    public const string ShardMissing = "OBT3021";

    /// <summary>A pytorch_model.bin zip archive is malformed: truncated, no central directory, no data.pkl, or a bad entry.</summary>
    public const string TorchArchiveInvalid = "OBT3030";

    /// <summary>A pytorch_model.bin uses the legacy (pre-1.6, non-zip) torch.save format, which is not read.</summary>
    public const string TorchLegacyFormat = "OBT3031";

    /// <summary>The pickle inside a pytorch_model.bin is malformed or uses an opcode a state dict never needs.</summary>
    public const string PickleInvalid = "OBT3032";

    /// <summary>The pickle names a global (callable or class) outside the allow-list; nothing is executed.</summary>
    public const string PickleGlobalRefused = "OBT3033";

    /// <summary>The pickle exceeds a resource limit (memo entries, stack size, MARK nesting depth, integers over 64 bits).</summary>
    public const string PickleLimitExceeded = "OBT3034";

    /// <summary>A tensor's storage is missing, too small for its view, or a view this engine cannot rebuild (negative strides, overflow).</summary>
    public const string TorchStorageInvalid = "OBT3035";

    /// <summary>The archive's byteorder entry says big-endian; only little-endian checkpoints are read.</summary>
    public const string TorchBigEndian = "OBT3036";

    /// <summary>The unpickled object is not a state dict (a mapping from names to tensors).</summary>
    public const string TorchNotStateDict = "OBT3037";

    /// <summary>config.json is missing from the checkpoint folder.</summary>
    public const string ConfigMissing = "OBT3060";

    /// <summary>config.json is not a valid JSON object.</summary>
    public const string ConfigInvalid = "OBT3061";

    /// <summary>A required config.json field is absent (under every alias) or has the wrong type.</summary>
    public const string ConfigFieldInvalid = "OBT3062";

    /// <summary>A weight the exporter needs is not in the checkpoint (after resolving tied weights).</summary>
    public const string WeightMissing = "OBT3080";

    /// <summary>A tensor is too large for the requested access (a span over more than 2 GB, an array upcast); stream it with CopyTo instead.</summary>
    public const string TensorTooLarge = "OBT3081";

    /// <summary>A tensor's dtype does not allow the requested conversion (e.g. ToInt64 on a float tensor).</summary>
    public const string TensorConversionInvalid = "OBT3082";
}
