namespace OnnxBuildTasks.Diagnostics;

// OBT4000-OBT4199: export of a checkpoint to an ONNX graph.
public static partial class ErrorCodes
{
    /// <summary>The checkpoint's model_type / architecture has no exporter; the message lists the supported ones.</summary>
    public const string ExportUnsupportedArchitecture = "OBT4001";

    /// <summary>The requested task is unknown or not supported for this architecture; the message lists the supported tasks.</summary>
    public const string ExportUnsupportedTask = "OBT4002";

    /// <summary>The requested export opset is outside the supported range.</summary>
    public const string ExportUnsupportedOpset = "OBT4003";

    /// <summary>A weight the architecture needs is not in the checkpoint.</summary>
    public const string ExportMissingWeight = "OBT4004";

    /// <summary>A weight in the checkpoint has a shape that does not match config.json.</summary>
    public const string ExportWeightShapeMismatch = "OBT4005";

    /// <summary>The activation named in config.json (hidden_act, activation, ...) is not supported.</summary>
    public const string ExportUnsupportedActivation = "OBT4006";

    /// <summary>config.json holds a value the exporter cannot build (a setting the graph does not implement, or inconsistent sizes).</summary>
    public const string ExportConfigInvalid = "OBT4008";

    /// <summary>No task was given and config.json's architectures does not name a known model class.</summary>
    public const string ExportTaskNotInferable = "OBT4009";

    /// <summary>A weight is stored in a data type the exporter cannot convert to the requested precision.</summary>
    public const string ExportUnsupportedWeightType = "OBT4010";

    /// <summary>The export request is incomplete (no checkpoint folder or output directory).</summary>
    public const string ExportRequestInvalid = "OBT4012";
}
