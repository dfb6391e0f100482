namespace OnnxBuildTasks.Sources;

/// <summary>
/// An item turned into exact, local content: what <see cref="ISourceResolver.Resolve"/> returns.
/// </summary>
public sealed record ResolvedSource
{
    /// <summary>An ONNX file or a checkpoint folder.</summary>
    public required SourceKind Kind { get; init; }

    /// <summary>
    /// Absolute local path, already fetched: the .onnx file for <see cref="SourceKind.OnnxFile"/>,
    /// the checkpoint folder for <see cref="SourceKind.Checkpoint"/>.
    /// </summary>
    public required string LocalPath { get; init; }

    /// <summary>
    /// Lower-case hex sha256 over the content that decides the produced bytes (e.g.
    /// <see cref="ContentFingerprint.Combine"/> of the model and weight file hashes). Two sources
    /// with equal fingerprints must produce equal models.
    /// </summary>
    public required string Fingerprint { get; init; }

    /// <summary>One line for the lock file and logs, e.g. <c>file:models/a.onnx sha256:…</c>.</summary>
    public required string Description { get; init; }

    /// <summary>
    /// Files copied beside the model in the output (config.json, tokenizer files), absolute paths;
    /// each lands under its file name. Empty when IncludeTokenizer is false.
    /// </summary>
    public IReadOnlyList<string> SideFiles { get; init; } = [];

    /// <summary>
    /// sha256 (lower-case hex) of each file the <see cref="Fingerprint"/> covers, keyed by its path relative to
    /// the source folder with '/' separators (e.g. <c>config.json</c>, <c>model.safetensors</c>). Filled by the
    /// resolvers from hashes they already have, so consumers (the exporter's metadata_props) never re-hash.
    /// Empty when the resolver does not know per-file hashes.
    /// </summary>
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();

    /// <summary>The repository the content came from (e.g. the Hugging Face repo id), or null for local content.</summary>
    public string? Repo { get; init; }

    /// <summary>The revision the item asked for (branch, tag or commit), or null.</summary>
    public string? Revision { get; init; }

    /// <summary>The exact commit the content was taken at, or null for local content.</summary>
    public string? Commit { get; init; }
}
