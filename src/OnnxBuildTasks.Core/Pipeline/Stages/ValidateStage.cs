using System.Globalization;
using OnnxBuildTasks.Validation;

namespace OnnxBuildTasks.Pipeline.Stages;

/// <summary>
/// Runs <see cref="ModelValidator"/> on each model file of an entry (structural check, then ONNX
/// Runtime on sample inputs, compared with the pre-conversion/optimization model when there is one)
/// and keeps the json report beside the model, one per file and tolerance.
/// </summary>
internal static class ValidateStage
{
    /// <summary>Used when neither the item nor the producer gives a tolerance.</summary>
    public const double FallbackAtol = 1e-4;

    /// <summary>
    /// Validates every model file in <paramref name="directory"/>; <paramref name="referenceFor"/> gives
    /// the reference model of a file (null: run only). Keeps the reports of passed files (so a kept
    /// report always means "passed at this tolerance"), then throws the first failure (coded,
    /// naming the item, listing each output's difference). Returns the first report's path.
    /// <paramref name="textFolder"/> holds the tokenizer files sample text is tokenized with (null: generated ids).
    /// </summary>
    public static string Run(string directory, IReadOnlyList<string> modelFiles, Func<string, string?> referenceFor, ModelRequest request, double atol, string? textFolder = null)
    {
        string? first = null;
        var reports = new List<ValidationReport>();
        foreach (var file in modelFiles)
        {
            var report = ModelValidator.Validate(new ValidationRequest
            {
                ModelPath = Path.Combine(directory, file),
                ReferenceModelPath = referenceFor(file),
                Atol = atol,
                TextFolder = textFolder,
                ItemName = modelFiles.Count == 1 ? request.ItemSpec : $"{request.ItemSpec} ({file})",
            });
            var path = ReportPath(directory, file, atol);
            if (report.Passed) report.WriteJson(path);
            first ??= path;
            reports.Add(report);
        }
        foreach (var report in reports) report.ThrowIfFailed();
        return first!;
    }

    /// <summary>Where the report of one model file at one tolerance is kept.</summary>
    public static string ReportPath(string directory, string modelFile, double atol) =>
        Path.Combine(directory, "validation." + Path.GetFileNameWithoutExtension(modelFile.Replace('/', '_')) + ".atol" + atol.ToString("R", CultureInfo.InvariantCulture) + ".json");
}
