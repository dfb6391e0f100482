using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Validation;

namespace OnnxBuildTasks.Opset;

/// <summary>Choices for <see cref="OpsetFileConverter.Convert"/>.</summary>
public sealed class OpsetFileConversionOptions
{
    /// <summary>Inputs fed to both models for the comparison; null generates sample inputs.</summary>
    public IReadOnlyDictionary<string, HostTensor>? Inputs { get; init; }

    /// <summary>Largest absolute difference accepted between the converted and the original model's outputs [1e-4].</summary>
    public double Atol { get; init; } = 1e-4;

    /// <summary>Run both models in ONNX Runtime and compare them before writing [true].</summary>
    public bool Validate { get; init; } = true;

    /// <summary>The item or file named in messages; defaults to the input file name.</summary>
    public string? ItemName { get; init; }

    /// <summary>Options for the graph conversion itself.</summary>
    public OpsetConversionOptions? Conversion { get; init; }
}

/// <summary>The conversion report and, when validation ran, the comparison with the original.</summary>
public sealed record OpsetFileConversionResult(OpsetConversionReport Conversion, ValidationReport? Validation);

/// <summary>
/// Converts an .onnx file to another opset: load, convert, check, validate the converted model
/// against the original by running both in ONNX Runtime on the same inputs, then move it into
/// place. External-data tensors are streamed from the source, never held in memory. Nothing is
/// written at <c>outputPath</c> when any stage fails.
/// </summary>
public static class OpsetFileConverter
{
    /// <summary>Converts <paramref name="inputPath"/> to <paramref name="targetOpset"/> and writes it to <paramref name="outputPath"/> (external data beside it).</summary>
    /// <exception cref="Diagnostics.OnnxBuildException">A coded error from loading (OBT60xx), conversion (OBT50xx), the checker or the comparison (OBT60xx).</exception>
    public static OpsetFileConversionResult Convert(string inputPath, string outputPath, int targetOpset, OpsetFileConversionOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(inputPath);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        options ??= new OpsetFileConversionOptions();
        var itemName = options.ItemName ?? Path.GetFileName(inputPath);
        var model = OnnxModelFile.Load(inputPath);
        OpsetConversionResult result;
        try
        {
            result = OpsetConverter.Convert(model, targetOpset, options.Conversion);
        }
        catch (Diagnostics.OnnxBuildException e)
        {
            throw new Diagnostics.OnnxBuildException(e.Code, $"{itemName}: {e.Message}", e);
        }
        var sourceDir = Path.GetDirectoryName(Path.GetFullPath(inputPath))!;
        ModelChecker.ThrowIfInvalid(result.Model, sourceDir, itemName);

        var fullOutput = Path.GetFullPath(outputPath);
        var outputDir = Path.GetDirectoryName(fullOutput)!;
        Directory.CreateDirectory(outputDir);
        var staging = Path.Combine(outputDir, ".obt-convert-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(staging);
        try
        {
            var staged = Path.Combine(staging, Path.GetFileName(fullOutput));
            OnnxModelFile.Save(result.Model, staged, new OnnxSaveOptions { SourceDirectory = sourceDir });
            ValidationReport? validation = null;
            if (options.Validate)
            {
                validation = ModelValidator.Validate(new ValidationRequest
                {
                    ModelPath = staged,
                    ReferenceModelPath = inputPath,
                    Inputs = options.Inputs,
                    Atol = options.Atol,
                    ItemName = itemName + $" (opset {targetOpset})",
                });
                validation.ThrowIfFailed();
            }
            // data files first, the model last: a reader never sees a model without its data
            foreach (var file in Directory.GetFiles(staging).Where(f => f != staged))
                File.Move(file, Path.Combine(outputDir, Path.GetFileName(file)), overwrite: true);
            File.Move(staged, fullOutput, overwrite: true);
            return new OpsetFileConversionResult(result.Report, validation);
        }
        finally
        {
            try { Directory.Delete(staging, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
