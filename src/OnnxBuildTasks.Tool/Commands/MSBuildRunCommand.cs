using System.CommandLine;
using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Pipeline;

namespace OnnxBuildTasks.Tool.Commands;

/// <summary>
/// <c>dotnet-onnx msbuild-run &lt;request.json&gt;</c>: the entry point of the OnnxBuildTasks MSBuild
/// task (hidden from help). Produces every out-of-date item of the request into its obj/ folder,
/// prints one canonical MSBuild error line per failed item on stderr, exits 1 if any failed.
/// </summary>
internal static class MSBuildRunCommand
{
    public static Command Create()
    {
        var request = new Argument<FileInfo>("request") { Description = "Request file written by the MSBuild task." };
        var command = new Command("msbuild-run", "Runs the pipeline for the OnnxModel items of one build (used by the MSBuild task).")
        {
            Hidden = true,
        };
        command.Arguments.Add(request);
        command.SetAction((result, cancellationToken) => Task.FromResult(Run(
            result.GetValue(request)!.FullName, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, cancellationToken)));
        return command;
    }

    internal static int Run(string requestPath, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        EngineRequest request;
        try
        {
            request = EngineRequest.Read(requestPath);
        }
        catch (OnnxBuildException e)
        {
            error.WriteLine(e.ToCanonical());
            return 1;
        }
        output.WriteLine($"OnnxBuildTasks engine {EngineInfo.Version}: {request.Items.Count} model(s)");
        var failed = new EngineRun(PipelineComponents.CreateDefault(), output, error).Execute(request, cancellationToken);
        return failed == 0 ? 0 : 1;
    }
}
