namespace OnnxBuildTasks.Diagnostics;

// OBT6xxx: validation (model structure, ONNX Runtime runs, comparisons, tensor files).
public static partial class ErrorCodes
{
    // OBT600x: reading and writing .onnx files and their external data.

    /// <summary>An .onnx file is missing, unreadable, over the 2 GB protobuf limit or not a valid ONNX model.</summary>
    public const string ModelFileInvalid = "OBT6000";

    /// <summary>A tensor's external data location is absolute, contains "..", or leaves the model's folder.</summary>
    public const string ExternalDataLocationUnsafe = "OBT6001";

    /// <summary>A tensor's external data file does not exist beside the model.</summary>
    public const string ExternalDataMissing = "OBT6002";

    /// <summary>A tensor's external data file is shorter than the tensor's offset plus length.</summary>
    public const string ExternalDataTooShort = "OBT6003";

    /// <summary>A tensor's external_data entries are malformed (no location, bad offset or length).</summary>
    public const string ExternalDataMalformed = "OBT6004";

    /// <summary>An .onnx file or its external data file could not be written.</summary>
    public const string ModelWriteFailed = "OBT6005";

    /// <summary>A deferred tensor payload does not match its initializer (unknown name, data already present, wrong length).</summary>
    public const string TensorPayloadInvalid = "OBT6006";

    // OBT601x-602x: structural checks of a model graph.

    /// <summary>The model has no graph.</summary>
    public const string GraphMissing = "OBT6010";

    /// <summary>The graph's nodes form a cycle.</summary>
    public const string GraphCycle = "OBT6011";

    /// <summary>A node input is not a graph input, an initializer, an earlier node's output or an outer-scope value.</summary>
    public const string UndefinedValue = "OBT6012";

    /// <summary>A node uses a value produced by a later node: the nodes are not in topological order.</summary>
    public const string NodeOrder = "OBT6013";

    /// <summary>A value name is defined twice (graphs must be in single static assignment form).</summary>
    public const string DuplicateValueName = "OBT6014";

    /// <summary>A node uses an operator domain the model has no opset import for.</summary>
    public const string MissingOpsetImport = "OBT6015";

    /// <summary>The model's IR version is missing or too old for its default-domain opset.</summary>
    public const string IrVersionMismatch = "OBT6016";

    /// <summary>A graph input or output has no tensor type.</summary>
    public const string UntypedGraphValue = "OBT6017";

    /// <summary>An initializer's data does not match its shape and element type (e.g. truncated raw_data).</summary>
    public const string InitializerMalformed = "OBT6018";

    /// <summary>A graph output is not produced by any node, initializer or graph input.</summary>
    public const string UndefinedGraphOutput = "OBT6019";

    // OBT603x-604x: running the model with ONNX Runtime and comparing outputs.

    /// <summary>ONNX Runtime could not load the model (invalid graph, unsupported operator or opset).</summary>
    public const string RuntimeLoadFailed = "OBT6030";

    /// <summary>ONNX Runtime failed while running the model on the validation inputs.</summary>
    public const string RuntimeRunFailed = "OBT6031";

    /// <summary>The validation inputs do not fit the model (unknown or missing name, wrong element type or rank) or were given inconsistently (expected outputs without inputs).</summary>
    public const string ValidationInputMismatch = "OBT6032";

    /// <summary>A sample input cannot be generated for a model input (unsupported element type).</summary>
    public const string SampleInputUnsupported = "OBT6033";

    /// <summary>An output differs from the reference by more than the tolerance.</summary>
    public const string OutputMismatch = "OBT6034";

    /// <summary>An output's shape differs from the reference output's shape.</summary>
    public const string OutputShapeMismatch = "OBT6035";

    /// <summary>An output has NaN where the reference has a number, or the other way round.</summary>
    public const string OutputNaNMismatch = "OBT6036";

    /// <summary>An output the reference (model or expected file) has is not produced by the model.</summary>
    public const string OutputMissing = "OBT6037";

    /// <summary>An inputs.json / outputs.json file is missing or malformed.</summary>
    public const string TensorJsonInvalid = "OBT6090";
}
