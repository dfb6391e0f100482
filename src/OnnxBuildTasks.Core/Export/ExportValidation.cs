using OnnxBuildTasks.Validation;

namespace OnnxBuildTasks.Export;

/// <summary>
/// Validation right after an export: the checker, then ONNX Runtime runs the model. When the checkpoint folder
/// carries reference tensors (inputs.json + outputs.json, as the hf-tiny fixtures do) the outputs must equal them
/// within the tolerance; otherwise the model runs on the sample text tokenized with the checkpoint's tokenizer
/// (generated sample inputs when it has none that <see cref="SampleText"/> supports). A failure throws (optimum only warns).
/// </summary>
public static class ExportValidation
{
    /// <summary>File names of the reference tensors looked for in the checkpoint folder.</summary>
    public const string InputsFile = "inputs.json", OutputsFile = "outputs.json";

    /// <summary>Whether <paramref name="checkpointFolder"/> holds inputs.json and outputs.json.</summary>
    public static bool HasReferenceTensors(string checkpointFolder) =>
        File.Exists(Path.Combine(checkpointFolder, InputsFile)) && File.Exists(Path.Combine(checkpointFolder, OutputsFile));

    /// <summary>Validates <paramref name="result"/>; throws the validation's coded error when an output differs.</summary>
    public static ValidationReport Validate(CheckpointExportResult result, string checkpointFolder, double? atol, string item)
    {
        string inputs = Path.Combine(checkpointFolder, InputsFile), outputs = Path.Combine(checkpointFolder, OutputsFile);
        bool hasReference = HasReferenceTensors(checkpointFolder);
        var report = ModelValidator.Validate(new ValidationRequest
        {
            ModelPath = result.ModelPath,
            Inputs = hasReference ? TensorJson.ReadFile(inputs) : null,
            Expected = hasReference ? TensorJson.ReadFile(outputs) : null,
            TextFolder = checkpointFolder,
            Atol = atol ?? result.DefaultAtol,
            ItemName = item,
        });
        report.ThrowIfFailed();
        return report;
    }
}
