using OnnxBuildTasks.Checkpoints;
using OnnxBuildTasks.Pipeline;

namespace OnnxBuildTasks.Export;

/// <summary>What to export: a local checkpoint folder, for a task, at an opset and precision, into a folder.</summary>
public sealed record ExportRequest
{
    /// <summary>Folder holding config.json and the weights (safetensors, sharded safetensors or pytorch_model.bin).</summary>
    public required string CheckpointFolder { get; init; }

    /// <summary>Folder that receives model.onnx (created when absent).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>optimum task name; null infers it from config.json architectures as optimum does.</summary>
    public string? Task { get; init; }

    /// <summary>Target opset [18, as optimum today].</summary>
    public int Opset { get; init; } = CheckpointExporter.DefaultOpset;

    /// <summary>fp32, or fp16 weights and compute with layer norms and softmax kept in float32.</summary>
    public ModelPrecision Precision { get; init; } = ModelPrecision.Fp32;

    /// <summary>The item name used in messages [the checkpoint folder name].</summary>
    public string? ItemName { get; init; }

    /// <summary>Facts about the source recorded in metadata_props as <c>onnxbuildtasks.source.&lt;key&gt;</c> (repo, revision, commit, …).</summary>
    public IReadOnlyDictionary<string, string>? SourceInfo { get; init; }

    /// <summary>Record the sha256 of config.json and every weight file in metadata_props [true].</summary>
    public bool HashSourceFiles { get; init; } = true;

    /// <summary>Copy config.json and the tokenizer files beside model.onnx [true].</summary>
    public bool CopySideFiles { get; init; } = true;

    /// <summary>Which weight files to read [Auto: safetensors when present, else pytorch_model.bin].</summary>
    public CheckpointFormat Format { get; init; } = CheckpointFormat.Auto;

    /// <summary>
    /// Write the weights to <c>model.onnx_data</c> beside the model even when it would fit in one file [false];
    /// models over the 2 GB protobuf limit always use external data.
    /// </summary>
    public bool ExternalData { get; init; }

    /// <summary>The model file name [model.onnx].</summary>
    public string ModelFileName { get; init; } = "model.onnx";
}

/// <summary>What an export wrote.</summary>
public sealed record CheckpointExportResult
{
    /// <summary>Full path of the written model.</summary>
    public required string ModelPath { get; init; }

    /// <summary>The task exported (given or inferred).</summary>
    public required string Task { get; init; }

    /// <summary>The opset written.</summary>
    public required int Opset { get; init; }

    /// <summary>The precision written.</summary>
    public required ModelPrecision Precision { get; init; }

    /// <summary>config.json model_type.</summary>
    public required string ModelType { get; init; }

    /// <summary>Graph input names in order.</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>Graph output names in order.</summary>
    public required IReadOnlyList<string> Outputs { get; init; }

    /// <summary>Validation tolerance for this export (1e-4 for fp32, 1e-2 for fp16).</summary>
    public required double DefaultAtol { get; init; }

    /// <summary>Side files copied beside the model (file names).</summary>
    public IReadOnlyList<string> CopiedFiles { get; init; } = [];
}
