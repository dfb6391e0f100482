namespace OnnxBuildTasks.Diagnostics;

/// <summary>
/// Every error code the engine uses. One partial file per range keeps each area's codes
/// beside each other; README.md lists them all (a test keeps the two in step).
/// </summary>
public static partial class ErrorCodes
{
    /// <summary>An unexpected internal failure; always a bug worth reporting.</summary>
    public const string Internal = "OBT0001";
}
