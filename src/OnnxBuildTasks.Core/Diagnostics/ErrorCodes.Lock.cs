namespace OnnxBuildTasks.Diagnostics;

// OBT1100-OBT1199: the lock file (onnxmodels.lock.json) and source specs.
public static partial class ErrorCodes
{
    /// <summary>onnxmodels.lock.json is malformed: fix it, or delete it and run `dotnet onnx lock` to write it again.</summary>
    public const string LockFileInvalid = "OBT1101";

    /// <summary>Locked mode (OnnxLockedMode / --locked) and the lock file would change: run `dotnet onnx lock --update` and commit the lock file.</summary>
    public const string LockedModeChange = "OBT1102";

    /// <summary>A locked file no longer matches the lock (size or sha256): the source changed under the same commit/version.</summary>
    public const string LockHashMismatch = "OBT1103";

    /// <summary>A Hub repo id is malformed: use `name` or `org/name` (letters, digits, '-', '_', '.').</summary>
    public const string SourceRepoIdInvalid = "OBT1110";

    /// <summary>A NuGet source spec is malformed: use `nuget:Package.Id/1.2.3` with an exact version.</summary>
    public const string SourceNuGetSpecInvalid = "OBT1111";

    /// <summary>A NuGet source has no File metadata naming the file to take from the package.</summary>
    public const string SourceNuGetFileMissing = "OBT1112";

    /// <summary>A path given as File metadata is not a relative path inside the repo or package.</summary>
    public const string SourceFilePathInvalid = "OBT1113";
}
