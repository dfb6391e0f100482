using System.CommandLine;

namespace OnnxBuildTasks.Tests;

/// <summary>Runs `dotnet onnx` commands in process with captured output.</summary>
internal static class ToolRunner
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = OnnxBuildTasks.Tool.Program.CreateRootCommand().Parse(args)
            .Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
