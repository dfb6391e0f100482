using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Checkpoints;

/// <summary>
/// A Hugging Face checkpoint folder opened for reading: its <see cref="ModelConfig"/> and its named
/// tensors from model.safetensors, pytorch_model.bin, or their sharded forms, with tied weights that
/// safetensors files leave out resolved (see <see cref="TiedWeights"/>) and TensorFlow-era layer norm names
/// renamed as transformers renames them (see <see cref="LegacyLayerNormNames"/>). Tensor bytes are views over
/// memory-mapped files: this object must be disposed, and tensors are valid only while it is open.
/// </summary>
public sealed class Checkpoint : IDisposable
{
    // (format, single file, shard index) in Auto preference order.
    private static readonly Layout[] Layouts =
    [
        new(CheckpointFormat.Safetensors, "model.safetensors", "model.safetensors.index.json"),
        new(CheckpointFormat.PyTorch, "pytorch_model.bin", "pytorch_model.bin.index.json"),
    ];

    private sealed record Layout(CheckpointFormat Format, string Single, string Index);

    private readonly List<IWeightFile> _files;
    private readonly Dictionary<string, CheckpointTensor> _tensors;

    private Checkpoint(string folder, ModelConfig config, CheckpointFormat format, List<IWeightFile> files,
        Dictionary<string, CheckpointTensor> tensors, IReadOnlyList<string> fileNames, IReadOnlyDictionary<string, string> tiedSources)
    {
        TiedSources = tiedSources;
        Folder = folder;
        Config = config;
        Format = format;
        _files = files;
        _tensors = tensors;
        Files = fileNames;
        TensorNames = _tensors.Keys.ToList().AsReadOnly();
    }

    /// <summary>The checkpoint folder.</summary>
    public string Folder { get; }

    /// <summary>The folder's config.json.</summary>
    public ModelConfig Config { get; }

    /// <summary>The format the weights were read from (never <see cref="CheckpointFormat.Auto"/>).</summary>
    public CheckpointFormat Format { get; }

    /// <summary>The weight files used (shard index first when sharded), relative to the folder.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Tied weights the files left out and that were resolved: missing name -> the name whose data it shares.</summary>
    public IReadOnlyDictionary<string, string> TiedSources { get; }

    /// <summary>Every tensor name, tied weights included.</summary>
    public IReadOnlyCollection<string> TensorNames { get; }

    /// <summary>
    /// Opens a checkpoint folder. <see cref="CheckpointFormat.Auto"/> takes model.safetensors(.index.json),
    /// else pytorch_model.bin(.index.json); the other values force one format.
    /// Throws a coded <see cref="OnnxBuildException"/> for a missing folder, config or weights, and for malformed files.
    /// </summary>
    public static Checkpoint Open(string folder, CheckpointFormat prefer = CheckpointFormat.Auto)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
            throw new OnnxBuildException(ErrorCodes.CheckpointNotFound, $"Checkpoint folder '{folder}' does not exist.");
        var config = ModelConfig.Load(Path.Combine(folder, "config.json"));
        foreach (var layout in Layouts)
        {
            if (prefer != CheckpointFormat.Auto && prefer != layout.Format) continue;
            if (File.Exists(Path.Combine(folder, layout.Index)))
                return OpenSharded(folder, config, layout.Format, layout.Index);
            if (File.Exists(Path.Combine(folder, layout.Single)))
                return OpenFiles(folder, config, layout.Format, [layout.Single], null);
        }
        var wanted = Layouts.Where(l => prefer == CheckpointFormat.Auto || prefer == l.Format).SelectMany(l => new[] { l.Single, l.Index });
        var present = Directory.EnumerateFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        throw new OnnxBuildException(ErrorCodes.CheckpointNotFound,
            $"Checkpoint folder '{folder}' has no weights to read: expected one of {string.Join(", ", wanted)}; found {string.Join(", ", present)}. " +
            "TensorFlow (tf_model.h5) and Flax (flax_model.msgpack) weights are not read: save the model with save_pretrained from PyTorch.");
    }

    /// <summary>Looks up a tensor (tied weights included).</summary>
    public bool TryGetTensor(string name, out CheckpointTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _tensors.TryGetValue(name, out tensor!);
    }

    /// <summary>A tensor by name; throws <see cref="ErrorCodes.WeightMissing"/> naming the weight and the folder when absent.</summary>
    public CheckpointTensor GetTensor(string name)
    {
        if (TryGetTensor(name, out var tensor)) return tensor;
        throw new OnnxBuildException(ErrorCodes.WeightMissing,
            $"Weight '{name}' is not in checkpoint '{Folder}' ({string.Join(", ", Files)}). " +
            "The checkpoint does not match its config.json architecture, or it was saved from a different model class.");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var file in _files) file.Dispose();
    }

    private static Checkpoint OpenSharded(string folder, ModelConfig config, CheckpointFormat format, string indexName)
    {
        var index = SafetensorsIndex.Load(Path.Combine(folder, indexName));
        foreach (string shard in index.Shards)
        {
            if (!File.Exists(Path.Combine(folder, shard)))
                throw new OnnxBuildException(ErrorCodes.ShardMissing,
                    $"Shard '{shard}' named by '{index.Path}' is not in '{folder}'. Download every shard of the checkpoint.");
        }
        return OpenFiles(folder, config, format, index.Shards, index);
    }

    private static Checkpoint OpenFiles(string folder, ModelConfig config, CheckpointFormat format, IReadOnlyList<string> names, SafetensorsIndex? index)
    {
        var files = new List<IWeightFile>();
        try
        {
            var tensors = new Dictionary<string, CheckpointTensor>(StringComparer.Ordinal);
            foreach (string name in names)
            {
                string path = Path.Combine(folder, name);
                var file = OpenFile(format, path);
                files.Add(file);
                foreach (var (tensorName, tensor) in file.Tensors)
                {
                    if (index is not null && (!index.WeightMap.TryGetValue(tensorName, out string? mapped) || mapped != name))
                        throw new OnnxBuildException(ErrorCodes.ShardIndexInvalid,
                            $"Shard '{path}' holds '{tensorName}', but '{index.Path}' {(mapped is null ? "does not list it" : "puts it in '" + mapped + "'")}. Re-download the checkpoint.");
                    if (!tensors.TryAdd(tensorName, tensor))
                        throw new OnnxBuildException(ErrorCodes.TensorNameDuplicate,
                            $"Tensor '{tensorName}' is in two shards of '{folder}'. Re-download the checkpoint.");
                }
            }
            if (index is not null)
            {
                var absent = index.WeightMap.Keys.FirstOrDefault(k => !tensors.ContainsKey(k) && !IsTiedAway(config, k, tensors));
                if (absent is not null)
                    throw new OnnxBuildException(ErrorCodes.ShardIndexInvalid,
                        $"'{index.Path}' puts '{absent}' in '{index.WeightMap[absent]}', but that shard does not hold it. Re-download the checkpoint.");
            }
            LegacyLayerNormNames.Rename(tensors);
            var tied = TiedWeights.Resolve(config, tensors.ContainsKey);
            foreach (var (missing, source) in tied)
                tensors[missing] = tensors[source].WithName(missing);
            var fileNames = index is null ? names : [Path.GetFileName(index.Path), .. names];
            return new Checkpoint(folder, config, format, files, tensors, fileNames, tied);
        }
        catch
        {
            foreach (var file in files) file.Dispose();
            throw;
        }
    }

    private static bool IsTiedAway(ModelConfig config, string name, Dictionary<string, CheckpointTensor> tensors) =>
        TiedWeights.Resolve(config, tensors.ContainsKey).ContainsKey(name);

    private static IWeightFile OpenFile(CheckpointFormat format, string path) => format switch
    {
        CheckpointFormat.Safetensors => SafetensorsFile.Open(path),
        _ => TorchZipCheckpoint.Open(path),
    };
}
