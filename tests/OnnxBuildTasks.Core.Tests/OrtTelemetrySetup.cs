using System.Runtime.CompilerServices;

namespace OnnxBuildTasks.Tests;

/// <summary>ONNX Runtime telemetry is off in this test process before any test creates a session (as the engine does).</summary>
internal static class OrtTelemetrySetup
{
    [ModuleInitializer]
    internal static void TurnOff() => OnnxBuildTasks.Validation.OrtTelemetry.Disable();
}
