using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Microsoft.Build.Framework;

namespace OnnxBuildTasks.MSBuild
{
    /// <summary>
    /// Writes the engine request (JSON, read by <c>dotnet-onnx msbuild-run</c>): project settings
    /// and the out-of-date items with the metadata the engine understands. Secrets never go here:
    /// the engine reads HF_TOKEN from its environment.
    /// </summary>
    internal static class EngineRequestWriter
    {
        /// <summary>The item metadata passed to the engine (design.md); everything else stays in MSBuild.</summary>
        internal static readonly string[] EngineMetadata =
        {
            "Task", "Opset", "Revision", "File", "Name", "Validate", "Atol", "Precision", "Optimize", "Quantize", "IncludeTokenizer",
        };

        internal const string OutputRootMetadata = "_OnnxOutputRoot";
        internal const string FileListMetadata = "_OnnxFileList";

        public static string Write(OnnxEngineTask task)
        {
            var json = new StringBuilder();
            json.Append('{');
            Property(json, "projectFile", task.ProjectFile).Append(',');
            Property(json, "projectDirectory", task.ProjectDirectory).Append(',');
            Property(json, "cacheDir", task.CacheDir).Append(',');
            Property(json, "hubEndpoint", task.HubEndpoint).Append(',');
            Property(json, "offline", task.Offline).Append(',');
            Property(json, "lockFile", task.LockFile).Append(',');
            Property(json, "lockedMode", task.LockedMode).Append(',');
            json.Append("\"items\":[");
            for (var i = 0; i < task.Models.Length; i++)
            {
                if (i > 0) json.Append(',');
                Item(json, task.Models[i]);
            }
            json.Append("]}");
            return json.ToString();
        }

        private static void Item(StringBuilder json, ITaskItem item)
        {
            json.Append('{');
            Property(json, "itemSpec", item.ItemSpec).Append(',');
            Property(json, "outputRoot", item.GetMetadata(OutputRootMetadata)).Append(',');
            Property(json, "fileList", item.GetMetadata(FileListMetadata)).Append(',');
            json.Append("\"metadata\":{");
            var first = true;
            foreach (var name in EngineMetadata)
            {
                if (!first) json.Append(',');
                first = false;
                Property(json, name, item.GetMetadata(name));
            }
            json.Append("}}");
        }

        private static StringBuilder Property(StringBuilder json, string name, string? value)
        {
            String(json, name).Append(':');
            return String(json, value ?? "");
        }

        private static StringBuilder String(StringBuilder json, string value)
        {
            json.Append('"');
            foreach (var c in value)
            {
                switch (c)
                {
                    case '"': json.Append("\\\""); break;
                    case '\\': json.Append("\\\\"); break;
                    case '\n': json.Append("\\n"); break;
                    case '\r': json.Append("\\r"); break;
                    case '\t': json.Append("\\t"); break;
                    default:
                        if (c < ' ') json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else json.Append(c);
                        break;
                }
            }
            return json.Append('"');
        }
    }
}
