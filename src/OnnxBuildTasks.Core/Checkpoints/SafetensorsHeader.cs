using System.Buffers.Binary;
using System.Text.Json;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Checkpoints;

/// <summary>One tensor of a safetensors header: dtype, shape and its [Begin, End) range in the data section.</summary>
public sealed record SafetensorsEntry(string Name, int Index, TensorDType DType, long[] Shape, long Begin, long End);

/// <summary>
/// A safetensors header, validated strictly: the 8-byte little-endian length (bounded, inside the file), well-formed
/// UTF-8 JSON, every entry's dtype, shape and data offsets, byte length = shape × dtype size, and the ranges
/// contiguous, non-overlapping and ending at the file's end. Parsed from bytes, so a local mapping and the first
/// bytes of a remote file (ranged requests) are checked by the same code.
/// </summary>
public sealed class SafetensorsHeader
{
    /// <summary>The largest header accepted (the safetensors library's own bound).</summary>
    public const long MaxLength = 100_000_000;

    private SafetensorsHeader(IReadOnlyList<SafetensorsEntry> entries, IReadOnlyDictionary<string, string> metadata, long dataStart)
    {
        Entries = entries;
        Metadata = metadata;
        DataStart = dataStart;
    }

    /// <summary>The tensors in header order.</summary>
    public IReadOnlyList<SafetensorsEntry> Entries { get; }

    /// <summary>The header's <c>__metadata__</c> (string to string), empty when absent.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The file offset of the data section (8 + the header length).</summary>
    public long DataStart { get; }

    /// <summary>
    /// The header length from a file's first 8 bytes, checked against the limit and the file length.
    /// <paramref name="first8"/> is empty when the file is shorter than 8 bytes.
    /// </summary>
    public static long ReadLength(string path, ReadOnlySpan<byte> first8, long fileLength)
    {
        if (fileLength < 8 || first8.Length < 8)
            throw HeaderError(path, $"the file has {fileLength} bytes, fewer than the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(first8);
        if (headerLength > MaxLength)
            throw HeaderError(path, $"the header length {headerLength} exceeds the {MaxLength}-byte limit");
        if ((long)headerLength > fileLength - 8)
            throw HeaderError(path, $"the header length {headerLength} runs past the end of the {fileLength}-byte file (truncated download?)");
        if (headerLength < 2)
            throw HeaderError(path, "the header is empty");
        return (long)headerLength;
    }

    /// <summary>
    /// Parses and validates the JSON header (the bytes after the length) of a file of <paramref name="fileLength"/>
    /// bytes: every entry's dtype, shape and offsets, and the ranges tiling the data section exactly. Throws the
    /// coded error of the first defect.
    /// </summary>
    public static SafetensorsHeader Parse(string path, ReadOnlySpan<byte> headerBytes, long fileLength)
    {
        long dataStart = 8 + (long)headerBytes.Length;
        long dataLength = fileLength - dataStart;

        if (!System.Text.Unicode.Utf8.IsValid(headerBytes))
            throw HeaderError(path, "the header is not valid UTF-8");
        // Syntax first (the whole header), then meaning: a malformed header is reported as such wherever
        // its defect is. Utf8JsonReader over the bytes, no document, no LINQ: this runs on every
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
        var entries = new List<SafetensorsEntry>();
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
        CheckRanges(path, entries, dataLength);
        return new SafetensorsHeader(entries, metadata, dataStart);
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
    private static SafetensorsEntry ReadEntry(string path, string name, int index, ref Utf8JsonReader reader)
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
        return new SafetensorsEntry(name, index, dtype, shape, begin, end);
    }

    private static void CheckRanges(string path, List<SafetensorsEntry> entries, long dataLength)
    {
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
    }

    private static OnnxBuildException HeaderError(string path, string what) =>
        new(ErrorCodes.SafetensorsHeaderInvalid, $"'{path}' is not a valid safetensors file: {what}. Re-download or re-save the checkpoint.");

    private static OnnxBuildException DataError(string path, string what) =>
        new(ErrorCodes.SafetensorsDataInvalid, $"'{path}' is not a valid safetensors file: {what}. Re-download or re-save the checkpoint.");
}
