using OnnxBuildTasks.Caching;
using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Pipeline.Stages;
using OnnxBuildTasks.Sources;

namespace OnnxBuildTasks.Pipeline;

/// <summary>
/// Runs one item through Resolve → Produce (take as is | export) → Convert → Optimize →
/// Validate → Cache. A cache hit does no work beyond resolving the source. Entries are built
/// in a staging folder under the cache's lock and renamed into place, so a failure leaves nothing.
/// </summary>
public sealed class ModelPipeline
{
    private readonly PipelineComponents _components;
    private readonly PipelineContext _context;

    /// <summary>Creates a pipeline over the given parts and settings.</summary>
    public ModelPipeline(PipelineComponents components, PipelineContext context)
    {
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(context);
        _components = components;
        _context = context;
        Cache = new ModelCache(context.CacheDirectory);
    }

    /// <summary>The model cache this pipeline reads and fills.</summary>
    public ModelCache Cache { get; }

    /// <summary>Produces (or finds) the item's model. Throws a coded exception naming the item on failure.</summary>
    public PipelineResult Run(ModelRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var resolver = _components.SourceResolvers.FirstOrDefault(r => r.CanResolve(request))
            ?? throw new OnnxBuildException(ErrorCodes.SourceNotRecognized,
                $"{request.DisplayName}: not a local .onnx file, checkpoint folder, Hub repository id or nuget: reference this engine understands. Check the Include (relative paths are resolved against the project folder).");
        var source = resolver.Resolve(request, _context);
        CheckSupported(request, source);

        var keyInputs = CacheKey.Inputs(source, request, _context.EngineVersion);
        var key = ContentFingerprint.Combine(keyInputs);
        using var cacheLock = Cache.Lock(key, _context.CancellationToken);
        var entry = Cache.TryGet(key);
        if (entry is not null)
        {
            _context.Log($"{request.DisplayName}: cache hit {key[..12]}");
            return new PipelineResult
            {
                Request = request, Source = source, Entry = entry, CacheHit = true,
                ValidationReportPath = request.Validate ? ValidateHit(request, source, entry) : null,
            };
        }
        return Build(request, source, key, keyInputs);
    }

    private PipelineResult Build(ModelRequest request, ResolvedSource source, string key, IReadOnlyList<KeyValuePair<string, string>> keyInputs)
    {
        var staging = Cache.CreateStaging(key);
        var work = staging + ".work";
        try
        {
            var produced = ProduceStage.Run(source, request, _components.Exporter, Path.Combine(work, "produced"), _context);
            var current = produced;
            if (ConvertStage.IsNeeded(request, current))
            {
                _context.Log($"{request.DisplayName}: converting to opset {request.Opset}");
                current = ConvertStage.Run(current, request, _components.OpsetConverter, Path.Combine(work, "converted"));
            }
            if (request.Optimize != GraphOptimization.None)
            {
                _context.Log($"{request.DisplayName}: optimizing ({request.Optimize})");
                current = OptimizeStage.Run(current, request, Path.Combine(work, "optimized"));
            }
            var files = current.ModelFiles
                .SelectMany(f => ModelFileCopy.Copy(current.PathOf(f), staging, f, request.DisplayName))
                .Distinct(StringComparer.Ordinal).ToList();
            string? report = null;
            if (request.Validate)
            {
                // A conversion or optimization is checked against the model it started from.
                var transformed = !ReferenceEquals(current, produced);
                var atol = request.Atol ?? produced.DefaultAtol ?? ValidateStage.FallbackAtol;
                _context.Log($"{request.DisplayName}: validating (atol {atol})");
                report = ValidateStage.Run(staging, current.ModelFiles, f => transformed ? produced.PathOf(f) : null, request, atol, TextFolder(source));
                report = Path.Combine(Cache.EntryDirectory(key), Path.GetFileName(report));
            }
            var entry = Cache.Commit(key, staging, files, source.Description, keyInputs, produced.DefaultAtol);
            _context.Log($"{request.DisplayName}: cached {key[..12]}");
            return new PipelineResult { Request = request, Source = source, Entry = entry, ValidationReportPath = report };
        }
        finally
        {
            TryDelete(work);
            TryDelete(staging);
        }
    }

    /// <summary>
    /// A hit is validated once per tolerance: an existing report at that tolerance means done. Without
    /// one, the entry is validated again; an .onnx source that was converted or optimized is the reference.
    /// </summary>
    private string ValidateHit(ModelRequest request, ResolvedSource source, CacheEntry entry)
    {
        var atol = request.Atol ?? entry.DefaultAtol ?? ValidateStage.FallbackAtol;
        var existing = ValidateStage.ReportPath(entry.Directory, entry.ModelFiles[0], atol);
        if (File.Exists(existing)) return existing;
        var transformed = request.Opset is not null || request.Optimize != GraphOptimization.None;
        var reference = source.Kind == SourceKind.OnnxFile && transformed ? source.LocalPath : null;
        _context.Log($"{request.DisplayName}: validating (atol {atol})");
        return ValidateStage.Run(entry.Directory, entry.ModelFiles, _ => reference, request, atol, TextFolder(source));
    }

    // Where the source's tokenizer files are: the checkpoint folder, or the folder of the side files fetched with an .onnx file.
    private static string? TextFolder(ResolvedSource source) =>
        source.Kind == SourceKind.Checkpoint ? source.LocalPath
        : source.SideFiles.Where(f => Path.GetFileName(f) == "tokenizer_config.json").Select(Path.GetDirectoryName).FirstOrDefault();

    private void CheckSupported(ModelRequest request, ResolvedSource source)
    {
        if (request.Quantize == QuantizeMode.Dynamic)
        {
            throw new OnnxBuildException(ErrorCodes.QuantizeNotSupported,
                $"{request.DisplayName}: Quantize=dynamic is not supported yet. Remove Quantize (or set it to none).");
        }
        if (source.Kind == SourceKind.OnnxFile && request.Precision != ModelPrecision.Fp32)
        {
            throw new OnnxBuildException(ErrorCodes.PrecisionNotSupported,
                $"{request.DisplayName}: Precision={request.Precision.ToString().ToLowerInvariant()} applies to checkpoint exports; an existing .onnx file is taken as it is. Remove Precision.");
        }
        if (source.Kind == SourceKind.Checkpoint && _components.Exporter is null) throw ProduceStage.ExportNotAvailable(request);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
