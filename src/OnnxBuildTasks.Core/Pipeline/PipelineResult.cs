using OnnxBuildTasks.Caching;
using OnnxBuildTasks.Sources;

namespace OnnxBuildTasks.Pipeline;

/// <summary>The outcome of one item: where its model is and how it got there.</summary>
public sealed record PipelineResult
{
    /// <summary>The item.</summary>
    public required ModelRequest Request { get; init; }

    /// <summary>The exact source it resolved to.</summary>
    public required ResolvedSource Source { get; init; }

    /// <summary>The cache entry holding the model files.</summary>
    public required CacheEntry Entry { get; init; }

    /// <summary>True when the entry already existed and nothing was produced.</summary>
    public bool CacheHit { get; init; }

    /// <summary>The validation report (json) when the item was validated, else null.</summary>
    public string? ValidationReportPath { get; init; }
}
