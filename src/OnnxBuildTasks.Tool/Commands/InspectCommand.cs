using System.CommandLine;
using OnnxBuildTasks.Checkpoints;
using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Tool.Commands;

/// <summary><c>dotnet onnx inspect &lt;model.onnx | checkpoint folder&gt;</c>: describes a model or checkpoint.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "An .onnx file or a Hugging Face checkpoint folder (config.json + weights)." };
        var command = new Command("inspect", "Show a model's inputs and outputs (with symbolic dims), opsets, IR version, producer, operator histogram and parameter count.")
        {
            path,
        };
        command.SetAction(parseResult => ToolErrors.Run(parseResult, output =>
        {
            var target = parseResult.GetValue(path)!;
            if (Directory.Exists(target))
                CheckpointInspector.Describe(target, output);
            else
                ModelDescription.Write(OnnxModelFile.Load(target), target, output);
            return 0;
        }));
        return command;
    }
}
