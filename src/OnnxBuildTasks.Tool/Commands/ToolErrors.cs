using System.CommandLine;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Tool.Commands;

/// <summary>Runs a command body and turns coded errors into <c>error OBTxxxx: message</c> on stderr with exit code 1.</summary>
internal static class ToolErrors
{
    public static int Run(ParseResult parseResult, Func<TextWriter, int> body)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        try
        {
            return body(output);
        }
        catch (OnnxBuildException e)
        {
            error.WriteLine(e.ToCanonical());
            return 1;
        }
    }
}
