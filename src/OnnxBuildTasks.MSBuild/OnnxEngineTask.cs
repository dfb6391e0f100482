using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace OnnxBuildTasks.MSBuild
{
    /// <summary>
    /// Runs the OnnxBuildTasks engine (<c>dotnet dotnet-onnx.dll msbuild-run &lt;request.json&gt;</c>)
    /// once for all out-of-date OnnxModel items. The request (items and settings, JSON) is written to
    /// <see cref="RequestFile"/>, our response file: ToolTask's own response file is not used because
    /// on Unix it rewrites every backslash to a slash, which would corrupt JSON escapes. The engine's
    /// <c>error OBTxxxx:</c> lines become MSBuild errors with their codes. ONNX Runtime, Protobuf and
    /// NuGet never load into MSBuild.
    /// </summary>
    public class OnnxEngineTask : ToolTask
    {
        // The same codes as OnnxBuildTasks.Diagnostics.ErrorCodes.EngineNotFound / EngineFailed
        // (this assembly does not reference the engine).
        internal const string EngineNotFoundCode = "OBT1050";
        internal const string EngineFailedCode = "OBT1051";

        /// <summary>The out-of-date items, with the targets' <c>_OnnxOutputRoot</c> and <c>_OnnxFileList</c> metadata.</summary>
        [Required]
        public ITaskItem[] Models { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>Path of <c>dotnet-onnx.dll</c> (the package's tools/engine folder).</summary>
        [Required]
        public string EnginePath { get; set; } = "";

        /// <summary>The project file; errors point at it.</summary>
        [Required]
        public string ProjectFile { get; set; } = "";

        /// <summary>The project folder; item paths are relative to it.</summary>
        [Required]
        public string ProjectDirectory { get; set; } = "";

        /// <summary>Where the request for the engine is written (in obj/).</summary>
        [Required]
        public string RequestFile { get; set; } = "";

        /// <summary>The dotnet host running the engine (<c>$(DOTNET_HOST_PATH)</c>); found on PATH when empty.</summary>
        public string? DotnetHostPath { get; set; }

        /// <summary>OnnxCacheDir.</summary>
        public string? CacheDir { get; set; }

        /// <summary>OnnxHubEndpoint.</summary>
        public string? HubEndpoint { get; set; }

        /// <summary>OnnxOffline.</summary>
        public string? Offline { get; set; }

        /// <summary>OnnxLockFile.</summary>
        public string? LockFile { get; set; }

        /// <summary>OnnxLockedMode.</summary>
        public string? LockedMode { get; set; }

        /// <inheritdoc />
        protected override string ToolName => "dotnet";

        /// <inheritdoc />
        protected override MessageImportance StandardOutputLoggingImportance => MessageImportance.Normal;

        /// <inheritdoc />
        protected override MessageImportance StandardErrorLoggingImportance => MessageImportance.Normal;

        /// <inheritdoc />
        public override bool Execute()
        {
            if (Models.Length == 0) return true;
            Log.LogMessage(MessageImportance.High, "OnnxBuildTasks: producing {0} model(s): {1}",
                Models.Length, string.Join(", ", Models.Select(m => m.ItemSpec)));
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(RequestFile)));
                File.WriteAllText(RequestFile, EngineRequestWriter.Write(this), new UTF8Encoding(false));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                Log.LogError(null, EngineFailedCode, null, ProjectFile, 0, 0, 0, 0, "Cannot write the engine request '{0}': {1}", RequestFile, e.Message);
                return false;
            }
            return base.Execute() && !Log.HasLoggedErrors;
        }

        /// <inheritdoc />
        protected override bool ValidateParameters()
        {
            if (File.Exists(EnginePath)) return true;
            Log.LogError(null, EngineNotFoundCode, null, ProjectFile, 0, 0, 0, 0,
                "The OnnxBuildTasks engine '{0}' does not exist. Restore the OnnxBuildTasks package again (dotnet restore --force).", EnginePath);
            return false;
        }

        /// <inheritdoc />
        protected override string GenerateFullPathToTool()
        {
            if (!string.IsNullOrEmpty(DotnetHostPath) && File.Exists(DotnetHostPath)) return DotnetHostPath!;
            var exe = Path.DirectorySeparatorChar == '\\' ? "dotnet.exe" : "dotnet";
            var path = Environment.GetEnvironmentVariable("PATH") ?? "";
            foreach (var dir in path.Split(Path.PathSeparator).Where(d => d.Length > 0))
            {
                var candidate = Path.Combine(dir.Trim(), exe);
                if (File.Exists(candidate)) return candidate;
            }
            return exe;
        }

        /// <inheritdoc />
        protected override string GenerateCommandLineCommands() => "\"" + EnginePath + "\" msbuild-run \"" + RequestFile + "\"";

        /// <inheritdoc />
        protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
        {
            var diagnostic = EngineOutputLine.TryParse(singleLine);
            if (diagnostic is null)
            {
                Log.LogMessage(messageImportance, singleLine);
            }
            else if (diagnostic.IsError)
            {
                Log.LogError(null, diagnostic.Code, null, diagnostic.Origin ?? ProjectFile, 0, 0, 0, 0, diagnostic.Text);
            }
            else
            {
                Log.LogWarning(null, diagnostic.Code, null, diagnostic.Origin ?? ProjectFile, 0, 0, 0, 0, diagnostic.Text);
            }
        }

        /// <inheritdoc />
        protected override bool HandleTaskExecutionErrors()
        {
            if (!Log.HasLoggedErrors)
            {
                Log.LogError(null, EngineFailedCode, null, ProjectFile, 0, 0, 0, 0,
                    "The OnnxBuildTasks engine exited with code {0} without reporting an error. Build with -v:detailed to see its output.", ExitCode);
            }
            return false;
        }
    }
}
