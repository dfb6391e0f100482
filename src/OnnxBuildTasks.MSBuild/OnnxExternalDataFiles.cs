using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace OnnxBuildTasks.MSBuild
{
    /// <summary>
    /// The external data files of local .onnx items, so their timestamps join the item's stamp and a changed
    /// weights file rebuilds the item. Files named after the model (model.onnx.data, model.onnx_data) are
    /// already watched by the targets' glob; this adds the others a model names (weights.bin, one file per
    /// tensor as older torch.onnx.export wrote). Reads only the model's protobuf structure, never its weights.
    /// Locations that leave the model's folder are left out: the engine refuses them with their code.
    /// </summary>
    public class OnnxExternalDataFiles : Task
    {
        /// <summary>The OnnxModel items (with the targets' <c>_OnnxKey</c> metadata).</summary>
        [Required]
        public ITaskItem[] Models { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>One item per external data file (full path), carrying its model's <c>_OnnxKey</c>.</summary>
        [Output]
        public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

        public override bool Execute()
        {
            var files = new List<ITaskItem>();
            foreach (var model in Models)
            {
                if (!model.ItemSpec.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
                    continue;   // a Hub repo id, a NuGet package or a checkpoint folder
                string path;
                try
                {
                    path = model.GetMetadata("FullPath");
                }
                catch (Exception e) when (e is InvalidOperationException || e is ArgumentException)
                {
                    continue;   // not a path on this system; the engine reports the item
                }
                if (!File.Exists(path))
                    continue;
                string folder = Path.GetDirectoryName(path);
                string modelName = Path.GetFileName(path);
                foreach (string location in OnnxExternalDataScanner.Locations(path))
                {
                    if (!IsPlainRelative(location) || location.StartsWith(modelName, StringComparison.Ordinal))
                        continue;
                    var item = new TaskItem(Path.GetFullPath(Path.Combine(folder, location)));
                    item.SetMetadata("_OnnxKey", model.GetMetadata("_OnnxKey"));
                    files.Add(item);
                }
            }
            Files = files.ToArray();
            return true;
        }

        private static bool IsPlainRelative(string location)
        {
            if (location.Length == 0 || Path.IsPathRooted(location) || location.IndexOf(':') >= 0) return false;
            foreach (string part in location.Split('/', '\\'))
                if (part == "..") return false;
            return true;
        }
    }
}
