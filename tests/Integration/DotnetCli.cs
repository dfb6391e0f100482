using System.Diagnostics;
using System.Text;

namespace OnnxBuildTasks.Integration;

/// <summary>Runs the dotnet CLI on a test project and captures everything it prints.</summary>
internal static class DotnetCli
{
    /// <summary>NUGET_PACKAGES for the commands (set by <see cref="PrivatePackageFolder"/>), or null for the user's.</summary>
    public static string? PackagesFolder { get; set; }

    public sealed record Result(int ExitCode, string Output)
    {
        public override string ToString() => $"exit {ExitCode}\n{Output}";
    }

    // MSBuild settings of the test host must not leak into the builds under test.
    private static readonly string[] ScrubbedVariables =
        ["MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly", "VSTEST_HOST_DEBUG"];

    /// <summary>
    /// <c>dotnet &lt;args&gt;</c> in <paramref name="directory"/>, without build servers or node reuse
    /// (nothing stays running after a test).
    /// </summary>
    public static Result Run(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        if (args[0] is "build" or "publish" or "clean" or "restore")
        {
            foreach (var arg in new[] { "-nodeReuse:false", "-p:UseSharedCompilation=false", "--disable-build-servers" }) start.ArgumentList.Add(arg);
        }
        foreach (var name in ScrubbedVariables) start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        if (PackagesFolder is not null) start.Environment["NUGET_PACKAGES"] = PackagesFolder;

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(4)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', args)} did not finish in 4 minutes:\n{output}");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, output.ToString());
    }
}
