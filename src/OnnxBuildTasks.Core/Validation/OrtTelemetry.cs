using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace OnnxBuildTasks.Validation;

/// <summary>
/// ONNX Runtime records telemetry events by default (on Linux into a local store under
/// ~/.cache/Microsoft/DeveloperTools/.onnxruntime, uploaded when it can). The engine runs inside
/// people's builds and CI: it sends and stores nothing, so telemetry is switched off for the process
/// before any session exists: every place that creates a session calls <see cref="Disable"/> first.
/// </summary>
public static partial class OrtTelemetry
{
    private static int _done;

    /// <summary>Turns ONNX Runtime's telemetry off for this process (idempotent, thread-safe).</summary>
    public static void Disable()
    {
        if (Interlocked.Exchange(ref _done, 1) != 0)
            return;
        // Read by the native library when its environment starts (which already records one event):
        // set in the native process environment, which .NET's own setter does not change on Unix.
        if (OperatingSystem.IsWindows())
            Environment.SetEnvironmentVariable(DisableVariable, "1");
        else
            _ = SetEnv(DisableVariable, "1", 0);
        OrtEnv.Instance().DisableTelemetryEvents();
    }

    private const string DisableVariable = "ORT_DISABLE_TELEMETRY";

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
