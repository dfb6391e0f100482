using Microsoft.Build.Utilities;

namespace OnnxBuildTasks.MSBuild
{
    /// <summary>Runs the OnnxBuildTasks engine out of process for all out-of-date models.</summary>
    public sealed class OnnxEngineTask : ToolTask
    {
        /// <inheritdoc />
        protected override string ToolName => "dotnet";

        /// <inheritdoc />
        protected override string GenerateFullPathToTool() => ToolName;
    }
}
