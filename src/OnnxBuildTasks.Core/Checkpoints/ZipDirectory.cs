using System.Buffers.Binary;
using System.IO.Compression;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Checkpoints;

/// <summary>One entry of a zip archive: where its data sits in the file and how it is stored.</summary>
internal sealed record ZipEntry(string Name, long DataOffset, long CompressedSize, long Size, bool Stored);

/// <summary>
/// The central directory of a zip archive read straight from a memory mapping (zip64 included), so that
/// stored (uncompressed) entries — which torch.save writes, 64-byte aligned — can be used in place.
/// </summary>
internal static class ZipDirectory
{
    private const uint EndOfCentralDirectory = 0x06054b50;
    private const uint Zip64Locator = 0x07064b50;
    private const uint Zip64End = 0x06064b50;
    private const uint CentralHeader = 0x02014b50;
    private const uint LocalHeader = 0x04034b50;

    /// <summary>Reads every entry; throws <see cref="ErrorCodes.TorchArchiveInvalid"/> for a damaged archive.</summary>
    public static Dictionary<string, ZipEntry> Read(MappedFile file)
    {
        long eocd = FindEndRecord(file);
        var end = file.Span(eocd, 22);
        long count = BinaryPrimitives.ReadUInt16LittleEndian(end[10..]);
        long cdSize = BinaryPrimitives.ReadUInt32LittleEndian(end[12..]);
        long cdOffset = BinaryPrimitives.ReadUInt32LittleEndian(end[16..]);
        if (count == 0xFFFF || cdSize == 0xFFFFFFFF || cdOffset == 0xFFFFFFFF)
            (count, cdSize, cdOffset) = ReadZip64End(file, eocd);
        if (cdOffset < 0 || cdSize < 0 || cdOffset > eocd || cdSize > eocd - cdOffset || count > cdSize / 46 + 1)
            throw Invalid(file, "the central directory is outside the file (truncated?)");

        var entries = new Dictionary<string, ZipEntry>(StringComparer.Ordinal);
        long pos = cdOffset;
        for (long i = 0; i < count; i++)
        {
            if (cdOffset + cdSize - pos < 46) throw Invalid(file, "the central directory is truncated");
            var h = file.Span(pos, 46);
            if (BinaryPrimitives.ReadUInt32LittleEndian(h) != CentralHeader) throw Invalid(file, $"central directory entry {i} has a bad signature");
            ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(h[8..]);
            ushort method = BinaryPrimitives.ReadUInt16LittleEndian(h[10..]);
            long compressed = BinaryPrimitives.ReadUInt32LittleEndian(h[20..]);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(h[24..]);
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(h[28..]);
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(h[30..]);
            int commentLength = BinaryPrimitives.ReadUInt16LittleEndian(h[32..]);
            long localOffset = BinaryPrimitives.ReadUInt32LittleEndian(h[42..]);
            if (cdOffset + cdSize - pos - 46 < nameLength + extraLength + commentLength) throw Invalid(file, "the central directory is truncated");
            string name = System.Text.Encoding.UTF8.GetString(file.Span(pos + 46, nameLength));
            ApplyZip64Extra(file, file.Span(pos + 46 + nameLength, extraLength), ref size, ref compressed, ref localOffset);
            pos += 46 + nameLength + extraLength + commentLength;
            if ((flags & 1) != 0) throw Invalid(file, $"entry '{name}' is encrypted");
            if (method != 0 && method != 8) throw Invalid(file, $"entry '{name}' uses compression method {method} (only stored and deflate are read)");
            if (method == 0 && compressed != size) throw Invalid(file, $"stored entry '{name}' has different compressed and uncompressed sizes");
            long dataOffset = LocateData(file, name, localOffset, compressed);
            if (!entries.TryAdd(name, new ZipEntry(name, dataOffset, compressed, size, method == 0)))
                throw Invalid(file, $"entry '{name}' appears twice");
        }
        return entries;
    }

    /// <summary>The bytes of a (small) entry; deflated entries are inflated without trusting the declared size beyond <paramref name="maxSize"/>.</summary>
    public static byte[] ReadAll(MappedFile file, ZipEntry entry, long maxSize)
    {
        if (entry.Size > maxSize) throw Invalid(file, $"entry '{entry.Name}' declares {entry.Size} bytes, more than the {maxSize}-byte limit");
        if (entry.Stored) return file.Span(entry.DataOffset, (int)entry.Size).ToArray();
        var output = new MemoryStream((int)Math.Min(entry.Size, Math.Min(maxSize, entry.CompressedSize * 4 + 4096)));
        try
        {
            unsafe
            {
                var compressed = file.Span(entry.DataOffset, checked((int)Math.Min(entry.CompressedSize, int.MaxValue)));
                fixed (byte* p = compressed)
                {
                    using var source = new UnmanagedMemoryStream(p, compressed.Length);
                    using var inflate = new DeflateStream(source, CompressionMode.Decompress);
                    var buffer = new byte[81920];
                    int n;
                    while ((n = inflate.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        if (output.Length + n > entry.Size) throw Invalid(file, $"entry '{entry.Name}' inflates to more than its declared {entry.Size} bytes");
                        output.Write(buffer, 0, n);
                    }
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw Invalid(file, $"entry '{entry.Name}' is not valid deflate data ({e.Message})");
        }
        if (output.Length != entry.Size) throw Invalid(file, $"entry '{entry.Name}' inflates to {output.Length} bytes, not its declared {entry.Size}");
        return output.ToArray();
    }

    private static long FindEndRecord(MappedFile file)
    {
        if (file.Length < 22) throw Invalid(file, "it is too short to be a zip archive");
        // The record sits in the last 22 + (comment up to 65535) bytes; search that window backwards for its signature.
        long windowStart = Math.Max(0, file.Length - 22 - 0xFFFF);
        var window = file.Span(windowStart, (int)(file.Length - windowStart));
        ReadOnlySpan<byte> signature = [0x50, 0x4b, 0x05, 0x06];
        int end = window.Length - 22 + 4;
        while (end >= 4)
        {
            int at = window[..end].LastIndexOf(signature);
            if (at < 0) break;
            if (at + 22 + BinaryPrimitives.ReadUInt16LittleEndian(window[(at + 20)..]) == window.Length)
                return windowStart + at;
            end = at + 3;
        }
        throw Invalid(file, "it has no end-of-central-directory record (truncated download?)");
    }

    private static (long, long, long) ReadZip64End(MappedFile file, long eocd)
    {
        if (eocd < 20) throw Invalid(file, "the zip64 locator is missing");
        var locator = file.Span(eocd - 20, 20);
        if (BinaryPrimitives.ReadUInt32LittleEndian(locator) != Zip64Locator) throw Invalid(file, "the zip64 locator is missing");
        long offset = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(locator[8..]), long.MaxValue);
        if (offset > file.Length - 56) throw Invalid(file, "the zip64 end record is outside the file");
        var record = file.Span(offset, 56);
        if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64End) throw Invalid(file, "the zip64 end record has a bad signature");
        return (Clamp(BinaryPrimitives.ReadUInt64LittleEndian(record[32..])),
                Clamp(BinaryPrimitives.ReadUInt64LittleEndian(record[40..])),
                Clamp(BinaryPrimitives.ReadUInt64LittleEndian(record[48..])));
    }

    private static void ApplyZip64Extra(MappedFile file, ReadOnlySpan<byte> extra, ref long size, ref long compressed, ref long offset)
    {
        while (extra.Length >= 4)
        {
            ushort id = BinaryPrimitives.ReadUInt16LittleEndian(extra);
            int length = BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]);
            if (length > extra.Length - 4) throw Invalid(file, "an extra field is truncated");
            var data = extra.Slice(4, length);
            if (id == 1)
            {
                int at = 0;
                if (size == 0xFFFFFFFF) size = Read64(file, data, ref at);
                if (compressed == 0xFFFFFFFF) compressed = Read64(file, data, ref at);
                if (offset == 0xFFFFFFFF) offset = Read64(file, data, ref at);
            }
            extra = extra[(4 + length)..];
        }
    }

    private static long Read64(MappedFile file, ReadOnlySpan<byte> data, ref int at)
    {
        if (data.Length - at < 8) throw Invalid(file, "a zip64 extra field is truncated");
        long value = Clamp(BinaryPrimitives.ReadUInt64LittleEndian(data[at..]));
        at += 8;
        return value;
    }

    private static long LocateData(MappedFile file, string name, long localOffset, long compressed)
    {
        if (localOffset > file.Length - 30) throw Invalid(file, $"entry '{name}' starts outside the file");
        var local = file.Span(localOffset, 30);
        if (BinaryPrimitives.ReadUInt32LittleEndian(local) != LocalHeader) throw Invalid(file, $"entry '{name}' has a bad local header");
        long data = localOffset + 30 + BinaryPrimitives.ReadUInt16LittleEndian(local[26..]) + BinaryPrimitives.ReadUInt16LittleEndian(local[28..]);
        if (data > file.Length || compressed > file.Length - data) throw Invalid(file, $"entry '{name}' runs past the end of the file (truncated?)");
        return data;
    }

    private static long Clamp(ulong value) => value > long.MaxValue ? long.MaxValue : (long)value;

    private static OnnxBuildException Invalid(MappedFile file, string what) =>
        new(ErrorCodes.TorchArchiveInvalid, $"'{file.Path}' is not a readable torch.save archive: {what}. Re-download the checkpoint or re-save it with save_pretrained.");
}
