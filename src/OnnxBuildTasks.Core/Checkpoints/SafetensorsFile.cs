using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Checkpoints;

/// <summary>
/// One memory-mapped .safetensors file: an 8-byte little-endian header length, a JSON header
/// naming each tensor's dtype, shape and data offsets, then the raw data. The header is validated
/// strictly (length bound, well-formed JSON, every range inside the data, ranges contiguous and
/// non-overlapping, byte length = shape × dtype size). Tensors are views over the mapping. Must be disposed.
/// </summary>
public sealed class SafetensorsFile : IDisposable, IWeightFile
{
    /// <summary>The largest header accepted (the safetensors library's own bound).</summary>
    public const long MaxHeaderLength = SafetensorsHeader.MaxLength;

    private readonly MappedFile _file;
    private readonly Dictionary<string, CheckpointTensor> _tensors;

    private SafetensorsFile(MappedFile file, Dictionary<string, CheckpointTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        _file = file;
        _tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>The file's path.</summary>
    public string Path => _file.Path;

    /// <summary>The header's <c>__metadata__</c> (string to string), empty when absent.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensors by name, in header order.</summary>
    public IReadOnlyDictionary<string, CheckpointTensor> Tensors => _tensors;

    /// <summary>Maps and validates <paramref name="path"/>. Throws a coded <see cref="OnnxBuildException"/> on any defect.</summary>
    public static SafetensorsFile Open(string path)
    {
        var file = MappedFile.Open(path);
        try
        {
            long headerLength = SafetensorsHeader.ReadLength(path, file.Length >= 8 ? file.Span(0, 8) : default, file.Length);
            var header = SafetensorsHeader.Parse(path, file.Span(8, (int)headerLength), file.Length);
            var tensors = new Dictionary<string, CheckpointTensor>(header.Entries.Count, StringComparer.Ordinal);
            foreach (var e in header.Entries)
                tensors.Add(e.Name, CheckpointTensor.Mapped(e.Name, e.DType, e.Shape, file, header.DataStart + e.Begin));
            return new SafetensorsFile(file, tensors, header.Metadata);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
