using OnnxBuildTasks.Sources;

namespace OnnxBuildTasks.Pipeline;

/// <summary>
/// Turns a checkpoint (<see cref="SourceKind.Checkpoint"/>) into ONNX files. Registered once in
/// <see cref="PipelineComponents.CreateDefault"/>; without one, checkpoint items fail with
/// <see cref="Diagnostics.ErrorCodes.ExportNotAvailable"/>.
/// </summary>
public interface IModelExporter
{
    /// <summary>
    /// Writes the model file(s) into <paramref name="outputDirectory"/> (an empty staging folder
    /// the pipeline owns; the main graph is <c>model.onnx</c>, seq2seq components use optimum's
    /// file names). Honours <see cref="ModelRequest.Task"/>, <see cref="ModelRequest.Opset"/> (as
    /// the export opset when the exporter can) and <see cref="ModelRequest.Precision"/>.
    /// Throws a coded exception naming the item on failure.
    /// </summary>
    ExportResult Export(ResolvedSource source, ModelRequest request, string outputDirectory, PipelineContext context);
}

/// <summary>What an export wrote.</summary>
public sealed record ExportResult
{
    /// <summary>The .onnx files written, relative to the output folder (external data files are found from them).</summary>
    public required IReadOnlyList<string> ModelFiles { get; init; }

    /// <summary>The opset the files were written at (so no conversion runs when it is the one asked for).</summary>
    public required int Opset { get; init; }

    /// <summary>Validation tolerance for the architecture, used when the item sets no Atol.</summary>
    public double? DefaultAtol { get; init; }
}
