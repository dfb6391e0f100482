using System.Text.Json;
using System.Text.Json.Serialization;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Locking;

/// <summary>
/// <c>onnxmodels.lock.json</c>: per model source, what it resolved to (Hub commit or NuGet version)
/// and every fetched file with its size and sha256. Serialised with sorted keys and '\n' line ends,
/// so the same content is always the same bytes.
/// </summary>
public sealed class LockFile
{
    /// <summary>The file name beside the project.</summary>
    public const string DefaultFileName = "onnxmodels.lock.json";

    /// <summary>Format version this code writes and reads.</summary>
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NewLine = "\n",
    };

    /// <summary>Format version.</summary>
    public int Version { get; set; } = CurrentVersion;

    /// <summary>Entries by key (see <see cref="LockEntry.KeyOf"/>).</summary>
    public SortedDictionary<string, LockEntry> Models { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Reads a lock file; an absent file is an empty lock.</summary>
    public static LockFile Read(string path)
    {
        if (!File.Exists(path)) return new LockFile();
        try
        {
            var lf = JsonSerializer.Deserialize<LockFile>(File.ReadAllText(path), Json) ?? throw new JsonException("empty document");
            if (lf.Version != CurrentVersion) throw new JsonException($"version {lf.Version} is not {CurrentVersion}");
            lf.Models = new SortedDictionary<string, LockEntry>(lf.Models, StringComparer.Ordinal);
            foreach (var (key, e) in lf.Models)
                if (string.IsNullOrEmpty(e.Source) || e.Files.Any(f => f.Path.Length == 0 || f.Sha256.Length != 64 || f.Size < 0))
                    throw new JsonException($"entry '{key}' is incomplete");
            return lf;
        }
        catch (JsonException e)
        {
            throw new OnnxBuildException(ErrorCodes.LockFileInvalid,
                $"The lock file {path} is malformed ({e.Message}). Fix it, or delete it and run `dotnet onnx lock` to write it again.", e);
        }
    }

    /// <summary>The file's text.</summary>
    public string Serialize() => JsonSerializer.Serialize(this, Json) + "\n";

    /// <summary>Writes the file (temp file + rename) when its text differs from what is on disk; true when written.</summary>
    public bool WriteIfChanged(string path)
    {
        var text = Serialize();
        if (File.Exists(path) && File.ReadAllText(path) == text) return false;
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        File.WriteAllText(tmp, text);
        File.Move(tmp, full, overwrite: true);
        return true;
    }
}

/// <summary>What one source resolved to.</summary>
public sealed class LockEntry
{
    /// <summary><c>hub</c> or <c>nuget</c>.</summary>
    public string Source { get; set; } = "";

    /// <summary>Hub repo id, or NuGet package id.</summary>
    public string? Id { get; set; }

    /// <summary>The revision asked for (Hub): a moving branch stays pinned to <see cref="Commit"/> until updated.</summary>
    public string? Revision { get; set; }

    /// <summary>The Hub commit the revision resolved to.</summary>
    public string? Commit { get; set; }

    /// <summary>The NuGet package version.</summary>
    public string? Version { get; set; }

    /// <summary>The File metadata, when one file is taken as is.</summary>
    public string? File { get; set; }

    /// <summary>Every fetched file, sorted by path.</summary>
    public List<LockedFile> Files { get; set; } = [];

    /// <summary>The key of an item's entry: its Include, plus <c>#File</c> when File is set.</summary>
    public static string KeyOf(string itemSpec, string? file) => file is null ? itemSpec : itemSpec + "#" + file;

    /// <summary>True when both entries would serialise the same.</summary>
    public bool SameAs(LockEntry? other) => other is not null &&
        JsonSerializer.Serialize(this) == JsonSerializer.Serialize(other);
}

/// <summary>A fetched file.</summary>
/// <param name="Path">Path in the repo or package.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Sha256">Lowercase hex sha256.</param>
public sealed record LockedFile(string Path, long Size, string Sha256);
