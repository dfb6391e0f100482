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
        // Syntax first (the whole header), then meaning: a malformed header is reported as such wherever
        // its defect is. Utf8JsonReader over the mapped bytes, no document, no LINQ: this runs on every
        // checkpoint open, often the first JSON a process parses, so it keeps to code the runtime has precompiled.
        var options = new JsonReaderOptions { MaxDepth = 8 };
        try
        {
            var syntax = new Utf8JsonReader(headerBytes, options);
            while (syntax.Read()) { }
        }
        catch (JsonException e)
        {
            throw HeaderError(path, "the header is not valid JSON: " + e.Message);
        }
        var reader = new Utf8JsonReader(headerBytes, options);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
            throw HeaderError(path, "the header is not a JSON object");
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = new List<Entry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            if (!seen.Add(name))
                throw new OnnxBuildException(ErrorCodes.TensorNameDuplicate,
                    $"'{path}': the header names '{name}' twice. Re-save the checkpoint with the safetensors library.");
            reader.Read();
            if (name == "__metadata__")
                ReadMetadata(path, ref reader, metadata);
            else
                entries.Add(ReadEntry(path, name, entries.Count, ref reader));
        }
        return (BuildTensors(file, entries, dataStart, dataLength), metadata);
    }

    // The reader is on the value's first token; each Read* leaves it on the value's last token.
    private static void ReadMetadata(string path, ref Utf8JsonReader reader, Dictionary<string, string> metadata)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw HeaderError(path, "__metadata__ is not an object of strings");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
                throw HeaderError(path, $"__metadata__ value '{name}' is not a string");
            metadata[name] = reader.GetString()!;
        }
    }

    // Collects dtype, shape and data_offsets (the last of repeated keys wins, as JSON lookups do), then
    // checks them in that order, so a defect is reported the same wherever in the entry the keys stand.
    private static Entry ReadEntry(string path, string name, int index, ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw HeaderError(path, $"entry '{name}' is not an object with dtype, shape and data_offsets");
        string? dtypeName = null;
        long[]? shape = null;
        bool shapeValid = false;
        int offsetCount = -1;
        bool offsetsValid = false;
        long begin = 0, end = 0;
        var dims = new long[8];
        int rank = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("dtype"u8))
            {
                reader.Read();
                dtypeName = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("shape"u8))
            {
                reader.Read();
                shape = null;
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }
                rank = 0;
                shapeValid = true;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long d) && d >= 0)
                    {
                        if (rank == dims.Length) Array.Resize(ref dims, rank * 2);
                        dims[rank++] = d;
                    }
                    else
                    {
                        shapeValid = false;
                    }
                    reader.Skip();
                }
                shape = new long[rank];
                Array.Copy(dims, shape, rank);
            }
            else if (reader.ValueTextEquals("data_offsets"u8))
            {
                reader.Read();
                offsetCount = -1;
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }
                offsetCount = 0;
                offsetsValid = true;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (offsetCount < 2)
                    {
                        long offset = -1;
                        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out offset) || offset < 0) offsetsValid = false;
                        else if (offsetCount == 0) begin = offset;
                        else end = offset;
                    }
                    offsetCount++;
                    reader.Skip();
                }
            }
            else
            {
                reader.Skip();
            }
        }
        if (dtypeName is null)
            throw HeaderError(path, $"entry '{name}' has no string 'dtype'");
        if (!TensorDTypeExtensions.TryParseSafetensors(dtypeName, out var dtype))
            throw new OnnxBuildException(ErrorCodes.TensorDTypeUnsupported,
                $"'{path}': tensor '{name}' has dtype {dtypeName}, which is not supported (supported: {TensorDTypeExtensions.SupportedSafetensorsNames}). Convert the checkpoint to float32, float16 or bfloat16.");
        if (shape is null)
            throw HeaderError(path, $"entry '{name}' has no 'shape' array");
        if (!shapeValid)
            throw HeaderError(path, $"entry '{name}' has a shape dimension that is not a non-negative integer");
        if (offsetCount != 2)
            throw HeaderError(path, $"entry '{name}' has no 'data_offsets' pair");
        if (!offsetsValid)
            throw HeaderError(path, $"entry '{name}' has data_offsets that are not non-negative integers");
        return new Entry(name, index, dtype, shape, begin, end);
    }

    private static Dictionary<string, CheckpointTensor> BuildTensors(MappedFile file, List<Entry> entries, long dataStart, long dataLength)
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
        // By offset (ties in header order): the ranges must tile the data section exactly.
        var byOffset = entries.ToArray();
        Array.Sort(byOffset, static (a, b) =>
            a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End != b.End ? a.End.CompareTo(b.End) : a.Index.CompareTo(b.Index));
        long next = 0;
        foreach (var e in byOffset)
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

    // A header entry; a class, not a tuple, so the list and sort use the runtime's precompiled reference-type code.
    private sealed record Entry(string Name, int Index, TensorDType DType, long[] Shape, long Begin, long End);

    private static OnnxBuildException HeaderError(string path, string what) =>
        new(ErrorCodes.SafetensorsHeaderInvalid, $"'{path}' is not a valid safetensors file: {what}. Re-download or re-save the checkpoint.");

    private static OnnxBuildException DataError(string path, string what) =>
        new(ErrorCodes.SafetensorsDataInvalid, $"'{path}' is not a valid safetensors file: {what}. Re-download or re-save the checkpoint.");
}
