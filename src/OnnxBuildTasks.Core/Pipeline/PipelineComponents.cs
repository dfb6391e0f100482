using OnnxBuildTasks.Sources;

namespace OnnxBuildTasks.Pipeline;

/// <summary>
/// The pluggable parts of the pipeline: source resolvers (asked in order), the checkpoint
/// exporter and the opset converter. <see cref="CreateDefault"/> is the one registration point
/// (see Pipeline/EXTENDING.md).
/// </summary>
public sealed class PipelineComponents
{
    /// <summary>Resolvers in the order they are asked; the first that can resolve an item does.</summary>
    public List<ISourceResolver> SourceResolvers { get; } = [];

    /// <summary>Exports checkpoints to ONNX; null until an exporter is registered.</summary>
    public IModelExporter? Exporter { get; set; }

    /// <summary>Converts opsets; null until a converter is registered.</summary>
    public IOpsetConverter? OpsetConverter { get; set; }

    /// <summary>Everything this engine build ships. Add one line here to register a new part.</summary>
    public static PipelineComponents CreateDefault() => new()
    {
        SourceResolvers =
        {
            // Local paths first: an existing file or folder always wins over a Hub id of the same spelling.
            new LocalOnnxFileResolver(),
            new LocalCheckpointResolver(),
            new NuGetSourceResolver(),
            new HubSourceResolver(),
        },
        Exporter = new OnnxBuildTasks.Export.PipelineExporter(),
        OpsetConverter = new OnnxBuildTasks.Opset.PipelineOpsetConverter(),
    };
}
