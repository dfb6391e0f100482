using System.CommandLine;

namespace OnnxBuildTasks.Tool;

internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("dotnet onnx: export, convert, validate and inspect ONNX models.");
        root.Subcommands.Add(Commands.MSBuildRunCommand.Create());
        return root.Parse(args).Invoke();
    }
}
