using System.Globalization;
using System.Runtime.CompilerServices;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Onnx;

/// <summary>Where an external tensor's bytes are: a file beside the model and a byte range in it.</summary>
/// <param name="Location">Path of the data file relative to the model's folder.</param>
/// <param name="Offset">Start of the tensor's bytes in the file.</param>
/// <param name="Length">Number of bytes, or null when the entry is absent (then the tensor's size decides).</param>
public sealed record ExternalDataReference(string Location, long Offset, long? Length);

/// <summary>
/// Reading and writing the <c>external_data</c> entries of a <see cref="TensorProto"/>
/// (<c>location</c>, <c>offset</c>, <c>length</c>) and resolving their location safely.
/// </summary>
public static class ExternalData
{
    private const string LocationKey = "location";
    private const string OffsetKey = "offset";
    private const string LengthKey = "length";

    // Folder each externally stored tensor was loaded from, so a save elsewhere can copy its bytes.
    private static readonly ConditionalWeakTable<TensorProto, string> SourceFolders = new();

    /// <summary>True when the tensor's data lives in an external file.</summary>
    public static bool IsExternal(TensorProto tensor) =>
        tensor.DataLocation == TensorProto.Types.DataLocation.External;

    /// <summary>Parses the tensor's external_data entries; throws a coded error when they are malformed or unsafe.</summary>
    public static ExternalDataReference GetReference(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        string? location = null;
        long offset = 0;
        long? length = null;
        foreach (var entry in tensor.ExternalData)
        {
            switch (entry.Key)
            {
                case LocationKey: location = entry.Value; break;
                case OffsetKey: offset = ParseNonNegative(tensor, entry); break;
                case LengthKey: length = ParseNonNegative(tensor, entry); break;
            }
        }
        if (string.IsNullOrEmpty(location))
            throw new OnnxBuildException(ErrorCodes.ExternalDataMalformed,
                $"Tensor '{tensor.Name}' is stored externally but has no 'location' entry; re-export the model or store the tensor inline.");
        var unsafeReason = UnsafeLocationReason(location);
        if (unsafeReason is not null)
            throw UnsafeLocation(tensor.Name, location, unsafeReason);
        return new ExternalDataReference(location, offset, length);
    }

    /// <summary>
    /// The full path of the tensor's data file under <paramref name="modelDirectory"/>; throws
    /// <see cref="ErrorCodes.ExternalDataLocationUnsafe"/> when the location would leave that folder.
    /// </summary>
    public static string ResolvePath(TensorProto tensor, string location, string modelDirectory)
    {
        var root = Path.GetFullPath(modelDirectory);
        var full = Path.GetFullPath(Path.Combine(root, location));
        var rootWithSep = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        if (!full.StartsWith(rootWithSep, StringComparison.Ordinal))
            throw UnsafeLocation(tensor.Name, location, "it resolves outside the model's folder");
        return full;
    }

    /// <summary>
    /// Why a location is refused (absolute, contains "..", empty), or null when it is a plain relative path.
    /// </summary>
    public static string? UnsafeLocationReason(string location)
    {
        if (string.IsNullOrWhiteSpace(location)) return "it is empty";
        if (Path.IsPathRooted(location) || location.StartsWith('/') || location.StartsWith('\\') || (location.Length >= 2 && location[1] == ':'))
            return "it is an absolute path";
        if (location.Split('/', '\\').Any(segment => segment == ".."))
            return "it contains '..'";
        if (location.IndexOf('\0') >= 0) return "it contains a NUL character";
        return null;
    }

    /// <summary>Marks a tensor as stored at <paramref name="location"/> [offset, offset + length) and drops its inline data.</summary>
    public static void SetReference(TensorProto tensor, string location, long offset, long length)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.RawData = Google.Protobuf.ByteString.Empty;
        tensor.ExternalData.Clear();
        tensor.ExternalData.Add(new StringStringEntryProto { Key = LocationKey, Value = location });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = OffsetKey, Value = offset.ToString(CultureInfo.InvariantCulture) });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = LengthKey, Value = length.ToString(CultureInfo.InvariantCulture) });
        tensor.DataLocation = TensorProto.Types.DataLocation.External;
    }

    /// <summary>The folder a loaded external tensor's location is relative to, if the loader recorded it.</summary>
    internal static string? SourceFolderOf(TensorProto tensor) =>
        SourceFolders.TryGetValue(tensor, out var folder) ? folder : null;

    internal static void RecordSourceFolder(TensorProto tensor, string folder) =>
        SourceFolders.AddOrUpdate(tensor, folder);

    internal static OnnxBuildException UnsafeLocation(string tensorName, string location, string reason) =>
        new(ErrorCodes.ExternalDataLocationUnsafe,
            $"Tensor '{tensorName}' has external data location '{location}', which is refused because {reason}; external data must be a relative path inside the model's folder.");

    private static long ParseNonNegative(TensorProto tensor, StringStringEntryProto entry)
    {
        if (long.TryParse(entry.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            return value;
        throw new OnnxBuildException(ErrorCodes.ExternalDataMalformed,
            $"Tensor '{tensor.Name}' has external data {entry.Key} '{entry.Value}', which is not a non-negative integer; re-export the model.");
    }
}
