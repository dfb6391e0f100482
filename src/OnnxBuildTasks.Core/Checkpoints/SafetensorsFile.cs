using System.Buffers.Binary;
using System.Text.Json;
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
    public const long MaxHeaderLength = 100_000_000;

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
            var (tensors, metadata) = ParseHeader(file);
            return new SafetensorsFile(file, tensors, metadata);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();

    private static (Dictionary<string, CheckpointTensor>, Dictionary<string, string>) ParseHeader(MappedFile file)
    {
        string path = file.Path;
        if (file.Length < 8)
            throw HeaderError(path, $"the file has {file.Length} bytes, fewer than the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file.Span(0, 8));
        if (headerLength > MaxHeaderLength)
            throw HeaderError(path, $"the header length {headerLength} exceeds the {MaxHeaderLength}-byte limit");
        if ((long)headerLength > file.Length - 8)
            throw HeaderError(path, $"the header length {headerLength} runs past the end of the {file.Length}-byte file (truncated download?)");
        if (headerLength < 2)
            throw HeaderError(path, "the header is empty");
        var headerBytes = file.Span(8, (int)headerLength);
        long dataStart = 8 + (long)headerLength;
        long dataLength = file.Length - dataStart;

        if (!System.Text.Unicode.Utf8.IsValid(headerBytes))
            throw HeaderError(path, "the header is not valid UTF-8");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(headerBytes.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw HeaderError(path, "the header is not valid JSON: " + e.Message);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw HeaderError(path, "the header is not a JSON object");
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<(string Name, TensorDType DType, long[] Shape, long Begin, long End)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw new OnnxBuildException(ErrorCodes.TensorNameDuplicate,
                        $"'{path}': the header names '{property.Name}' twice. Re-save the checkpoint with the safetensors library.");
                if (property.Name == "__metadata__")
                {
                    ReadMetadata(path, property.Value, metadata);
                    continue;
                }
                entries.Add(ReadEntry(path, property.Name, property.Value));
            }
            return (BuildTensors(file, entries, dataStart, dataLength), metadata);
        }
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw HeaderError(path, "__metadata__ is not an object of strings");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw HeaderError(path, $"__metadata__ value '{item.Name}' is not a string");
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static (string, TensorDType, long[], long, long) ReadEntry(string path, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw HeaderError(path, $"entry '{name}' is not an object with dtype, shape and data_offsets");
        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw HeaderError(path, $"entry '{name}' has no string 'dtype'");
        string dtypeName = dtypeElement.GetString()!;
        if (!TensorDTypeExtensions.TryParseSafetensors(dtypeName, out var dtype))
            throw new OnnxBuildException(ErrorCodes.TensorDTypeUnsupported,
                $"'{path}': tensor '{name}' has dtype {dtypeName}, which is not supported (supported: {TensorDTypeExtensions.SupportedSafetensorsNames}). Convert the checkpoint to float32, float16 or bfloat16.");
        if (!value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw HeaderError(path, $"entry '{name}' has no 'shape' array");
        var shape = new long[shapeElement.GetArrayLength()];
        int i = 0;
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out long d) || d < 0)
                throw HeaderError(path, $"entry '{name}' has a shape dimension that is not a non-negative integer");
            shape[i++] = d;
        }
        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw HeaderError(path, $"entry '{name}' has no 'data_offsets' pair");
        if (offsets[0].ValueKind != JsonValueKind.Number || !offsets[0].TryGetInt64(out long begin) || begin < 0
            || offsets[1].ValueKind != JsonValueKind.Number || !offsets[1].TryGetInt64(out long end) || end < 0)
            throw HeaderError(path, $"entry '{name}' has data_offsets that are not non-negative integers");
        return (name, dtype, shape, begin, end);
    }

    private static Dictionary<string, CheckpointTensor> BuildTensors(MappedFile file, List<(string Name, TensorDType DType, long[] Shape, long Begin, long End)> entries,
        long dataStart, long dataLength)
    {
        string path = file.Path;
        var tensors = new Dictionary<string, CheckpointTensor>(entries.Count, StringComparer.Ordinal);
        foreach (var e in entries)
        {
            long expected;
            try
            {
                expected = checked(CheckpointTensor.ElementCountOf(e.Shape) * e.DType.SizeInBytes());
            }
            catch (OverflowException)
            {
                throw DataError(path, $"tensor '{e.Name}' has a shape whose size overflows");
            }
            if (e.End < e.Begin)
                throw DataError(path, $"tensor '{e.Name}' has data_offsets [{e.Begin}, {e.End}] that end before they begin");
            if (e.End > dataLength)
                throw DataError(path, $"tensor '{e.Name}' has data_offsets [{e.Begin}, {e.End}] past the end of the {dataLength}-byte data section (truncated file?)");
            if (e.End - e.Begin != expected)
                throw DataError(path, $"tensor '{e.Name}' is {e.DType.SafetensorsName()}[{string.Join(", ", e.Shape)}] ({expected} bytes) but its data_offsets span {e.End - e.Begin} bytes");
            tensors.Add(e.Name, CheckpointTensor.Mapped(e.Name, e.DType, e.Shape, file, dataStart + e.Begin));
        }
        long next = 0;
        foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (e.Begin < next)
                throw DataError(path, $"tensor '{e.Name}' overlaps the previous tensor's data (begins at {e.Begin}, previous ends at {next})");
            if (e.Begin > next)
                throw DataError(path, $"there is a gap of {e.Begin - next} bytes before tensor '{e.Name}'");
            next = e.End;
        }
        if (next != dataLength)
            throw DataError(path, $"the data section has {dataLength - next} bytes after the last tensor");
        return tensors;
    }

    private static OnnxBuildException HeaderError(string path, string what) =>
        new(ErrorCodes.SafetensorsHeaderInvalid, $"'{path}' is not a valid safetensors file: {what}. Re-download or re-save the checkpoint.");

    private static OnnxBuildException DataError(string path, string what) =>
        new(ErrorCodes.SafetensorsDataInvalid, $"'{path}' is not a valid safetensors file: {what}. Re-download or re-save the checkpoint.");
}
