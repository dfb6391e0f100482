using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Checkpoints;

/// <summary>
/// A pytorch_model.bin in the zip format torch.save has written since PyTorch 1.6:
/// <c>&lt;archive&gt;/data.pkl</c> (the state dict, read by <see cref="PickleReader"/>),
/// <c>&lt;archive&gt;/data/&lt;key&gt;</c> (one entry per storage) and an optional
/// <c>&lt;archive&gt;/byteorder</c>. Stored storages are used in place over the memory mapping;
/// deflated ones are inflated once. Non-contiguous views are materialised. Must be disposed.
/// </summary>
internal sealed class TorchZipCheckpoint : IWeightFile
{
    /// <summary>Largest data.pkl accepted.</summary>
    public const long MaxPickleBytes = 256L << 20;

    private readonly MappedFile _file;

    private TorchZipCheckpoint(MappedFile file, Dictionary<string, CheckpointTensor> tensors)
    {
        _file = file;
        Tensors = tensors;
    }

    public string Path => _file.Path;

    public IReadOnlyDictionary<string, CheckpointTensor> Tensors { get; }

    /// <summary>Opens and reads the archive's state dict. Throws coded errors for any defect.</summary>
    public static TorchZipCheckpoint Open(string path)
    {
        var file = MappedFile.Open(path);
        try
        {
            return new TorchZipCheckpoint(file, ReadTensors(file));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public void Dispose() => _file.Dispose();

    private static Dictionary<string, CheckpointTensor> ReadTensors(MappedFile file)
    {
        CheckNotLegacy(file);
        var entries = ZipDirectory.Read(file);
        var pickle = entries.Values.Where(e => e.Name.EndsWith("/data.pkl", StringComparison.Ordinal) || e.Name == "data.pkl")
            .OrderBy(e => e.Name.Length).FirstOrDefault()
            ?? throw new OnnxBuildException(ErrorCodes.TorchArchiveInvalid,
                $"'{file.Path}' is a zip archive without a data.pkl entry, so it was not written by torch.save. Re-download the checkpoint.");
        string prefix = pickle.Name[..^"data.pkl".Length];
        if (entries.TryGetValue(prefix + "byteorder", out var byteorder))
        {
            string order = System.Text.Encoding.ASCII.GetString(ZipDirectory.ReadAll(file, byteorder, 64)).Trim();
            if (order == "big")
                throw new OnnxBuildException(ErrorCodes.TorchBigEndian,
                    $"'{file.Path}' was saved on a big-endian machine (byteorder 'big'). Load it in PyTorch and save it with save_pretrained(safe_serialization=True) to get little-endian safetensors.");
            if (order != "little")
                throw new OnnxBuildException(ErrorCodes.TorchArchiveInvalid, $"'{file.Path}' has an unknown byteorder '{order}'.");
        }
        object? root = PickleReader.Read(ZipDirectory.ReadAll(file, pickle, MaxPickleBytes), file.Path + ":" + pickle.Name);
        if (root is not PickleDict dict)
            throw new OnnxBuildException(ErrorCodes.TorchNotStateDict,
                $"'{file.Path}' holds a pickled object that is not a state dict (a mapping of names to tensors). Save model.state_dict(), e.g. with save_pretrained.");
        var storages = new StorageBytes(file, entries, prefix);
        var tensors = new Dictionary<string, CheckpointTensor>(dict.Items.Count, StringComparer.Ordinal);
        foreach (var (key, value) in dict.Items)
        {
            if (key is not string name || value is not TensorRef tensor)
                throw new OnnxBuildException(ErrorCodes.TorchNotStateDict,
                    $"'{file.Path}': the state dict maps {(key is string s ? "'" + s + "'" : "a non-string key")} to something that is not a tensor. Save model.state_dict(), e.g. with save_pretrained.");
            if (tensors.ContainsKey(name))
                throw new OnnxBuildException(ErrorCodes.TensorNameDuplicate, $"'{file.Path}': the state dict names '{name}' twice.");
            tensors[name] = storages.Tensor(name, tensor);
        }
        return tensors;
    }

    private static void CheckNotLegacy(MappedFile file)
    {
        if (file.Length >= 4 && file.Span(0, 4).SequenceEqual("PK\x03\x04"u8)) return;
        if (file.Length >= 2 && file.Span(0, 1)[0] == 0x80)
            throw new OnnxBuildException(ErrorCodes.TorchLegacyFormat,
                $"'{file.Path}' uses the legacy (pre-1.6, non-zip) torch.save format, which is not read. Convert it in Python: " +
                "model = AutoModel.from_pretrained(folder); model.save_pretrained(folder, safe_serialization=True) " +
                "(or torch.save(torch.load(path), path) with PyTorch >= 1.6 for the zip format).");
        throw new OnnxBuildException(ErrorCodes.TorchArchiveInvalid,
            $"'{file.Path}' is neither a zip archive nor a legacy torch pickle (truncated or not a PyTorch checkpoint). Re-download it.");
    }
}
