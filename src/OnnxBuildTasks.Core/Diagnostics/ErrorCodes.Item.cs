namespace OnnxBuildTasks.Diagnostics;

// OBT10xx: OnnxModel items, their metadata, the pipeline, the cache and the build engine.
public static partial class ErrorCodes
{
    /// <summary>The Opset metadata is not a whole number between 1 and 99.</summary>
    public const string OpsetInvalid = "OBT1001";

    /// <summary>The Precision metadata is not one of fp32, fp16.</summary>
    public const string PrecisionUnknown = "OBT1002";

    /// <summary>The Optimize metadata is not one of none, basic, extended, all.</summary>
    public const string OptimizeUnknown = "OBT1003";

    /// <summary>The Quantize metadata is not one of none, dynamic.</summary>
    public const string QuantizeUnknown = "OBT1004";

    /// <summary>The Atol metadata is not a positive number.</summary>
    public const string AtolInvalid = "OBT1005";

    /// <summary>A true/false metadata (Validate, IncludeTokenizer) holds something else.</summary>
    public const string BooleanMetadataInvalid = "OBT1006";

    /// <summary>The Task metadata is not an optimum task name.</summary>
    public const string TaskUnknown = "OBT1007";

    /// <summary>The Name metadata is empty or not a plain folder name.</summary>
    public const string NameInvalid = "OBT1008";

    /// <summary>Two OnnxModel items of one project would write the same models/&lt;Name&gt; folder.</summary>
    public const string NameDuplicate = "OBT1009";

    /// <summary>A local .onnx file or checkpoint folder named by an item does not exist.</summary>
    public const string SourceNotFound = "OBT1010";

    /// <summary>No source kind recognises the item (not a local .onnx file, checkpoint folder, Hub id or nuget: reference).</summary>
    public const string SourceNotRecognized = "OBT1011";

    /// <summary>A local folder item has no config.json, so it is not a Hugging Face checkpoint.</summary>
    public const string CheckpointFolderInvalid = "OBT1012";

    /// <summary>A local .onnx file cannot be read as an ONNX model (to find its external data).</summary>
    public const string OnnxFileUnreadable = "OBT1013";

    /// <summary>The item needs a checkpoint exported to ONNX, but this engine has no exporter.</summary>
    public const string ExportNotAvailable = "OBT1020";

    /// <summary>The item asks for an Opset, but this engine has no opset converter.</summary>
    public const string ConversionNotAvailable = "OBT1021";

    /// <summary>Quantize=dynamic is not supported yet.</summary>
    public const string QuantizeNotSupported = "OBT1022";

    /// <summary>Precision=fp16 applies to exports; an existing .onnx file is taken as it is.</summary>
    public const string PrecisionNotSupported = "OBT1023";

    /// <summary>ONNX Runtime's offline graph optimization failed on the model.</summary>
    public const string OptimizeFailed = "OBT1024";

    /// <summary>The model cache folder cannot be created or written.</summary>
    public const string CacheUnavailable = "OBT1030";

    /// <summary>Another build held a cache entry's lock for too long.</summary>
    public const string CacheLockTimeout = "OBT1031";

    /// <summary>A cache entry exists but its files are missing; delete the entry folder named in the message.</summary>
    public const string CacheEntryCorrupt = "OBT1032";

    /// <summary>The engine's request file (written by the MSBuild task) is missing or malformed.</summary>
    public const string EngineRequestInvalid = "OBT1040";

    /// <summary>The model files could not be written to the project's intermediate folder.</summary>
    public const string OutputWriteFailed = "OBT1041";

    /// <summary>The MSBuild task cannot find the engine (tools/ folder of the OnnxBuildTasks package).</summary>
    public const string EngineNotFound = "OBT1050";

    /// <summary>The engine process failed without reporting a coded error.</summary>
    public const string EngineFailed = "OBT1051";
}
