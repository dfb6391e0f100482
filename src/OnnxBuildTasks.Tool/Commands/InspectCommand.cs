using System.CommandLine;
using OnnxBuildTasks.Checkpoints;
using OnnxBuildTasks.Hub;
using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Tool.Commands;

/// <summary><c>dotnet onnx inspect &lt;model.onnx | checkpoint folder | hub repo id&gt; [--revision R]</c>: describes a model or checkpoint.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("path")
        {
            Description = "An .onnx file, a Hugging Face checkpoint folder (config.json + weights), or a Hub repo id whose safetensors headers are read remotely.",
        };
        var revision = new Option<string>("--revision") { Description = "Branch, tag or commit of a Hub repo [main]." };
        var command = new Command("inspect", "Show a model's inputs and outputs (with symbolic dims), opsets, IR version, producer, operator histogram and parameter count; or a checkpoint's config and tensors.")
        {
            path, revision,
        };
        command.SetAction(parseResult =>
        {
            var target = parseResult.GetValue(path)!;
            if (!Directory.Exists(target) && !File.Exists(target) && !target.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) && RepoId.IsValid(target))
            {
                return SourceCommandSupport.Run(async () =>
                {
                    using var client = new HubClient(SourceCommandSupport.Settings(offline: false));
                    await RemoteCheckpointInspector.DescribeAsync(client, target, parseResult.GetValue(revision) ?? "main", Console.Out);
                    return 0;
                });
            }
            return ToolErrors.Run(parseResult, output =>
            {
                if (Directory.Exists(target))
                    CheckpointInspector.Describe(target, output);
                else
                    ModelDescription.Write(OnnxModelFile.Load(target), target, output);
                return 0;
            });
        });
        return command;
    }
}
