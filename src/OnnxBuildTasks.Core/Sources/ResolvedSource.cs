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
}
