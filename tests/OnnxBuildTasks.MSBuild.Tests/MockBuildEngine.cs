using System.Collections;
using Microsoft.Build.Framework;

namespace OnnxBuildTasks.MSBuild.Tests;

/// <summary>Records what a task logs; <see cref="Log"/> holds one line per event ("ERROR code: message").</summary>
internal sealed class MockBuildEngine : IBuildEngine
{
    public List<string> Log { get; } = [];

    public List<BuildErrorEventArgs> Errors { get; } = [];

    public List<BuildMessageEventArgs> Messages { get; } = [];

    public bool ContinueOnError => false;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode => "test.csproj";

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => throw new NotSupportedException();

    public void LogCustomEvent(CustomBuildEventArgs e) => Log.Add("CUSTOM: " + e.Message);

    public void LogErrorEvent(BuildErrorEventArgs e)
    {
        Errors.Add(e);
        Log.Add($"ERROR {e.Code}: {e.Message} [{e.File}]");
    }

    public void LogMessageEvent(BuildMessageEventArgs e)
    {
        Messages.Add(e);
        Log.Add("MESSAGE: " + e.Message);
    }

    public void LogWarningEvent(BuildWarningEventArgs e) => Log.Add($"WARNING {e.Code}: {e.Message} [{e.File}]");
}
