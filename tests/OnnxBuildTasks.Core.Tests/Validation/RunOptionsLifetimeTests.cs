using System.Reflection;
using System.Text.RegularExpressions;

namespace OnnxBuildTasks.Tests.Validation;

/// <summary>
/// ONNX Runtime's managed Run passes the RunOptions' bare native handle, so a RunOptions created inline in
/// the call (<c>session.Run(new RunOptions(), …)</c>) is unreachable while the native run still reads it:
/// the GC may finalize it mid-run and the run reads freed memory. That use-after-free crashed the test host
/// now and then until the calls held their RunOptions in a <c>using</c> variable. This keeps it from coming back.
/// </summary>
public class RunOptionsLifetimeTests
{
    private static readonly Regex InlineRunOptions = new(@"\bRun(Async)?\s*\(\s*new\s+RunOptions\s*\(", RegexOptions.Compiled);

    [Fact]
    public void NoSessionRunTakesAnInlineRunOptions()
    {
        var root = typeof(RunOptionsLifetimeTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;
        var sources = new[] { "src", "tests", "samples", "eng" }
            .Select(d => Path.Combine(root, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .ToList();
        Assert.Contains(sources, f => f.EndsWith("OrtRunner.cs", StringComparison.Ordinal)); // the scan sees the code that runs sessions

        // This file's own examples excepted (by name: CI builds map source paths, so CallerFilePath would not match).
        var offenders = sources.Where(f => Path.GetFileName(f) != nameof(RunOptionsLifetimeTests) + ".cs" && InlineRunOptions.IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(root, f)).ToList();
        Assert.True(offenders.Count == 0, "Hold RunOptions in a `using var` for the whole run in: " + string.Join(", ", offenders));
    }

    [Theory]
    [InlineData("using var outputs = session.Run(new RunOptions(), names, values, outputNames);", true)]
    [InlineData("session.Run( new RunOptions() , a, b, c)", true)]
    [InlineData("using var runOptions = new RunOptions();\nsession.Run(runOptions, names, values, outputNames);", false)]
    public void ThePatternFindsInlineRunOptionsOnly(string code, bool matches) => Assert.Equal(matches, InlineRunOptions.IsMatch(code));
}
