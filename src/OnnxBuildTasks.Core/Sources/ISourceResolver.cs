using OnnxBuildTasks.Pipeline;

namespace OnnxBuildTasks.Sources;

/// <summary>
/// One kind of model source (local file, local checkpoint folder, Hub repo, NuGet package).
/// The pipeline asks each registered resolver in order (<see cref="PipelineComponents"/>) and the
/// first whose <see cref="CanResolve"/> answers true resolves the item.
/// </summary>
public interface ISourceResolver
{
    /// <summary>Cheap syntactic test: does this item look like my kind of source? No I/O beyond a stat.</summary>
    bool CanResolve(ModelRequest request);

    /// <summary>
    /// Fetches what the item needs into local caches and pins it. Throws a coded
    /// <see cref="Diagnostics.OnnxBuildException"/> naming the item on failure.
    /// </summary>
    ResolvedSource Resolve(ModelRequest request, PipelineContext context);
}
