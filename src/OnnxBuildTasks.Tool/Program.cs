using System.CommandLine;
using OnnxBuildTasks.Tool.Commands;

namespace OnnxBuildTasks.Tool;

internal static class Program
{
    private static int Main(string[] args) => CreateRootCommand().Parse(args).Invoke();

    /// <summary>The root command with every subcommand registered (tests invoke it in process).</summary>
    internal static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("dotnet onnx: export, convert, validate and inspect ONNX models.");
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(ConvertCommand.Create());
        root.Subcommands.Add(DownloadCommand.Create());
        root.Subcommands.Add(LockCommand.Create());
        root.Subcommands.Add(CacheCommand.Create());
        root.Subcommands.Add(MSBuildRunCommand.Create());
        return root;
    }
}
