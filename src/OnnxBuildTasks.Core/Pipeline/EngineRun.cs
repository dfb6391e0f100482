using OnnxBuildTasks.Caching;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Pipeline;

/// <summary>
/// One engine run for MSBuild: every item of an <see cref="EngineRequest"/> goes through the
/// pipeline and into its obj/ folder. All items are processed; each failure is written as one
/// canonical MSBuild error line (<c>project: error OBTxxxx: OnnxModel 'x': …</c>) and leaves no
/// output for that item.
/// </summary>
public sealed class EngineRun
{
    private readonly PipelineComponents _components;
    private readonly TextWriter _output;
    private readonly TextWriter _errors;

    /// <summary>Creates a run writing progress to <paramref name="output"/> and error lines to <paramref name="errors"/>.</summary>
    public EngineRun(PipelineComponents components, TextWriter output, TextWriter errors)
    {
        _components = components;
        _output = output;
        _errors = errors;
    }

    /// <summary>Runs every item; returns the number that failed.</summary>
    public int Execute(EngineRequest request, CancellationToken cancellationToken = default)
    {
        var context = new PipelineContext
        {
            CacheDirectory = CacheLocation.Resolve(request.CacheDir),
            Offline = IsTrue(string.IsNullOrWhiteSpace(request.Offline) ? Environment.GetEnvironmentVariable("HF_HUB_OFFLINE") : request.Offline),
            HubEndpoint = string.IsNullOrWhiteSpace(request.HubEndpoint) ? null : request.HubEndpoint,
            LockFilePath = string.IsNullOrWhiteSpace(request.LockFile) ? null : Path.GetFullPath(request.LockFile, request.ProjectDirectory),
            LockedMode = IsTrue(request.LockedMode),
            Log = line => _output.WriteLine(line),
            CancellationToken = cancellationToken,
        };
        var pipeline = new ModelPipeline(_components, context);
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var failed = 0;
        foreach (var item in request.Items)
        {
            string? ownedFolder = null;
            try
            {
                var model = ModelRequest.Parse(item.ItemSpec, request.ProjectDirectory, item.Metadata);
                if (!names.TryAdd(model.Name, model.ItemSpec))
                {
                    throw new OnnxBuildException(ErrorCodes.NameDuplicate,
                        $"{model.DisplayName}: OnnxModel '{names[model.Name]}' already writes models/{model.Name}. Give one of them a different Name.");
                }
                ownedFolder = Path.Combine(item.OutputRoot, model.Name);
                var result = pipeline.Run(model);
                var files = ItemOutput.Write(result, item.OutputRoot, item.FileList);
                _output.WriteLine($"{model.DisplayName} -> {model.Name}/ ({string.Join(", ", files)}){(result.CacheHit ? " [cached]" : "")}"
                    + (result.ValidationReportPath is { } report ? $"; validation report {report}" : ""));
            }
            catch (Exception e)
            {
                failed++;
                SafeRemove(ownedFolder, item.FileList);
                var error = e as OnnxBuildException ?? new OnnxBuildException(ErrorCodes.Internal,
                    $"OnnxModel '{item.ItemSpec}': unexpected {e.GetType().Name}: {e.Message} (please report this bug)", e);
                _errors.WriteLine(error.ToCanonical(request.ProjectFile).ReplaceLineEndings(" "));
            }
        }
        return failed;
    }

    private static bool IsTrue(string? value) =>
        value?.Trim().ToLowerInvariant() is "true" or "1" or "yes" or "on";

    /// <summary>A failed item leaves nothing: its file list goes, and its folder unless another item owns that Name.</summary>
    private static void SafeRemove(string? folder, string fileList)
    {
        try
        {
            ItemOutput.Remove(folder, fileList);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
