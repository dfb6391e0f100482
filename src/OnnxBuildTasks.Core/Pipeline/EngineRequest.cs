using System.Text.Json;
using System.Text.Json.Serialization;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Pipeline;

/// <summary>
/// What the MSBuild task asks the engine to do in one run: the project's settings and its
/// out-of-date OnnxModel items. Written by the task as JSON (the response file of
/// <c>dotnet-onnx msbuild-run</c>); property names are camelCase.
/// </summary>
public sealed record EngineRequest
{
    /// <summary>The project file, used as the origin of error lines.</summary>
    public required string ProjectFile { get; init; }

    /// <summary>The project folder, against which item paths are resolved.</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>OnnxCacheDir (empty: default location).</summary>
    public string? CacheDir { get; init; }

    /// <summary>OnnxHubEndpoint (empty: default).</summary>
    public string? HubEndpoint { get; init; }

    /// <summary>OnnxOffline ("true" to stay off the network).</summary>
    public string? Offline { get; init; }

    /// <summary>OnnxLockFile.</summary>
    public string? LockFile { get; init; }

    /// <summary>OnnxLockedMode ("true" to fail rather than change the lock file).</summary>
    public string? LockedMode { get; init; }

    /// <summary>The items to produce.</summary>
    public required List<EngineItem> Items { get; init; }

    /// <summary>Reads a request file; throws <see cref="ErrorCodes.EngineRequestInvalid"/> when it is missing or malformed.</summary>
    public static EngineRequest Read(string path)
    {
        try
        {
            var request = JsonSerializer.Deserialize(File.ReadAllText(path), EngineRequestJson.Default.EngineRequest);
            if (request?.Items is null || string.IsNullOrEmpty(request.ProjectDirectory)) throw new JsonException("items or projectDirectory missing");
            return request;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new OnnxBuildException(ErrorCodes.EngineRequestInvalid,
                $"The engine request '{path}' cannot be read ({e.Message}). It is written by the OnnxBuildTasks MSBuild task; rebuild, and report a bug if this persists.", e);
        }
    }
}

/// <summary>One OnnxModel item in an <see cref="EngineRequest"/>.</summary>
public sealed record EngineItem
{
    /// <summary>The item's Include.</summary>
    public required string ItemSpec { get; init; }

    /// <summary>
    /// The folder (in obj/) under which the item's files are materialised, in a subfolder named
    /// after the item's Name, mirroring the output models folder.
    /// </summary>
    public required string OutputRoot { get; init; }

    /// <summary>The file listing the output files (one <c>Name/relative path</c> a line), written last.</summary>
    public required string FileList { get; init; }

    /// <summary>The item's metadata (Task, Opset, Name, …).</summary>
    public Dictionary<string, string?> Metadata { get; init; } = new(StringComparer.OrdinalIgnoreCase);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(EngineRequest))]
internal sealed partial class EngineRequestJson : JsonSerializerContext;
