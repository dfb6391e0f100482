using System.Reflection;

namespace OnnxBuildTasks.Pipeline;

/// <summary>Identity of this engine build, recorded in cache keys and entries.</summary>
public static class EngineInfo
{
    /// <summary>The informational version of OnnxBuildTasks.Core (e.g. <c>0.1.0+abc123</c>).</summary>
    public static string Version { get; } =
        typeof(EngineInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(EngineInfo).Assembly.GetName().Version?.ToString()
        ?? "0";
}
