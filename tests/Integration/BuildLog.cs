using System.Text.RegularExpressions;

namespace OnnxBuildTasks.Integration;

/// <summary>What a detailed (-v:d) build log says about the OnnxBuildTasks engine.</summary>
internal static class BuildLog
{
    /// <summary>The items the engine was started for ("OnnxBuildTasks: producing N model(s): a, b"), or none.</summary>
    public static string[] EngineItems(string log)
    {
        var runs = Regex.Matches(log, @"OnnxBuildTasks: producing \d+ model\(s\): (?<items>.+)$", RegexOptions.Multiline);
        return runs.SelectMany(m => m.Groups["items"].Value.Trim().Split(", ")).ToArray();
    }

    /// <summary>True when the engine process was started (its banner or the dotnet-onnx command line appear).</summary>
    public static bool EngineStarted(string log) =>
        log.Contains("OnnxBuildTasks engine ", StringComparison.Ordinal) || log.Contains("dotnet-onnx.dll\" msbuild-run", StringComparison.Ordinal);

    public static bool EngineTargetSkipped(string log) =>
        log.Contains("Skipping target \"_OnnxRunEngine\" because all output files are up-to-date", StringComparison.Ordinal);
}
