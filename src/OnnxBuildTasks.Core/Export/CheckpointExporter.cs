using System.Globalization;
using System.Security.Cryptography;
using OnnxBuildTasks.Checkpoints;
using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Export.Architectures;
using OnnxBuildTasks.Export.Tasks;
using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Pipeline;
using OnnxBuildTasks.Sources;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Export;

/// <summary>
/// Exports a Hugging Face encoder checkpoint to ONNX with no Python: reads config.json, picks the architecture
/// and task, builds the graph for the target opset and streams the memory-mapped weights into model.onnx
/// (external data beyond 2 GB). Identical requests give byte-identical files.
/// </summary>
public static class CheckpointExporter
{
    /// <summary>The default export opset (optimum's today).</summary>
    public const int DefaultOpset = 18;

    /// <summary>Prefix of every metadata_props key the exporter writes.</summary>
    public const string MetadataPrefix = "onnxbuildtasks.";

    /// <summary>Exports <paramref name="request"/>; throws a coded <see cref="OnnxBuildException"/> naming the item on failure.</summary>
    public static CheckpointExportResult Export(ExportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.CheckpointFolder) || string.IsNullOrWhiteSpace(request.OutputDirectory))
            throw new OnnxBuildException(ErrorCodes.ExportRequestInvalid, "An export needs a checkpoint folder and an output directory.");
        string item = request.ItemName ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(request.CheckpointFolder)));
        if (request.Opset is < GraphBuilder.MinOpset or > GraphBuilder.MaxOpset)
            throw new OnnxBuildException(ErrorCodes.ExportUnsupportedOpset,
                $"{item}: opset {request.Opset} cannot be exported; supported opsets are {GraphBuilder.MinOpset} to {GraphBuilder.MaxOpset}.");
        var computeType = request.Precision switch
        {
            ModelPrecision.Fp32 => DataType.Float,
            ModelPrecision.Fp16 => DataType.Float16,
            var p => throw new ArgumentOutOfRangeException(nameof(request), p, "Precision is fp32 or fp16."),
        };

        using var checkpoint = Checkpoint.Open(request.CheckpointFolder, request.Format);
        var config = checkpoint.Config;
        var facts = ArchitectureRegistry.Get(config.ModelType, item);
        string task = ResolveTask(request.Task, config, facts, item);
        string modelClass = config.Architectures.FirstOrDefault() ?? config.ModelType;

        var graph = EncoderGraph.Build(checkpoint, facts, task, request.Opset, computeType, item, modelClass);
        var model = graph.ToModel(inlineWeights: false, EngineInfo.Version);
        AddMetadata(model, request, checkpoint, task, modelClass);

        Directory.CreateDirectory(request.OutputDirectory);
        string modelPath = Path.GetFullPath(Path.Combine(request.OutputDirectory, request.ModelFileName));
        OnnxModelFile.Save(model, modelPath, new OnnxSaveOptions { Payloads = graph.Weights, ForceExternalData = request.ExternalData });

        var copied = request.CopySideFiles ? CopySideFiles(request.CheckpointFolder, request.OutputDirectory) : [];
        return new CheckpointExportResult
        {
            ModelPath = modelPath,
            Task = task,
            Opset = request.Opset,
            Precision = request.Precision,
            ModelType = config.ModelType,
            Inputs = model.Graph.Input.Select(i => i.Name).ToArray(),
            Outputs = model.Graph.Output.Select(o => o.Name).ToArray(),
            DefaultAtol = request.Precision == ModelPrecision.Fp16 ? 1e-2 : 1e-4,
            CopiedFiles = copied,
        };
    }

    /// <summary>The task to export: the requested one (normalised), else the one config.json architectures implies.</summary>
    public static string ResolveTask(string? requested, ModelConfig config, EncoderFacts facts, string item)
    {
        if (!string.IsNullOrWhiteSpace(requested))
        {
            string? task = ExportTasks.Normalize(requested);
            if (task is null || !EncoderGraph.SupportedTasks(facts).Contains(task))
                throw new OnnxBuildException(ErrorCodes.ExportUnsupportedTask,
                    $"{item}: task '{requested}' is not supported for model_type '{config.ModelType}'. Supported: {string.Join(", ", EncoderGraph.SupportedTasks(facts))}.");
            return task;
        }
        foreach (string cls in config.Architectures)
            if (facts.ModelClasses.TryGetValue(cls, out var inferred))
                return inferred;
        throw new OnnxBuildException(ErrorCodes.ExportTaskNotInferable,
            $"{item}: config.json architectures [{string.Join(", ", config.Architectures)}] names no model class the exporter knows " +
            $"({string.Join(", ", facts.ModelClasses.Keys)}); set the Task metadata (--task) to one of {string.Join(", ", EncoderGraph.SupportedTasks(facts))}.");
    }

    // Sorted by key (ordinal) so the bytes never depend on dictionary order. A dictionary and a sorted array of its
    // keys rather than a SortedDictionary, whose code over KeyValuePair is compiled at first use in every process.
    private static void AddMetadata(ModelProto model, ExportRequest request, Checkpoint checkpoint, string task, string modelClass)
    {
        var meta = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [MetadataPrefix + "engine_version"] = EngineInfo.Version,
            [MetadataPrefix + "task"] = task,
            [MetadataPrefix + "opset"] = request.Opset.ToString(CultureInfo.InvariantCulture),
            [MetadataPrefix + "precision"] = request.Precision == ModelPrecision.Fp16 ? "fp16" : "fp32",
            [MetadataPrefix + "model_type"] = checkpoint.Config.ModelType,
            [MetadataPrefix + "model_class"] = modelClass,
            [MetadataPrefix + "source.format"] = checkpoint.Format.ToString(),
        };
        foreach (var (key, value) in request.SourceInfo ?? new Dictionary<string, string>())
            meta[MetadataPrefix + "source." + key] = value;
        if (request.HashSourceFiles)
            foreach (string file in checkpoint.Files.Prepend("config.json").Distinct(StringComparer.Ordinal))
                meta[MetadataPrefix + "source.sha256." + file] = Sha256(Path.Combine(checkpoint.Folder, file));
        var keys = new string[meta.Count];
        meta.Keys.CopyTo(keys, 0);
        Array.Sort(keys, StringComparer.Ordinal);
        foreach (string key in keys)
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = meta[key] });
    }

    private static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static IReadOnlyList<string> CopySideFiles(string checkpointFolder, string outputDirectory)
    {
        var copied = new List<string>();
        foreach (string source in CheckpointSideFiles.Present(checkpointFolder))
        {
            string name = Path.GetFileName(source);
            string target = Path.Combine(outputDirectory, name);
            string temp = target + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
            File.Copy(source, temp, overwrite: true);
            File.Move(temp, target, overwrite: true);
            copied.Add(name);
        }
        return copied;
    }
}
