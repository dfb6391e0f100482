namespace OnnxBuildTasks.Validation;

/// <summary>
/// The lowest IR version able to hold each default-domain (ai.onnx) opset, from the release table of
/// ONNX's docs/Versioning.md: a model importing opset N must declare at least this IR version.
/// </summary>
public static class IrVersionTable
{
    // (first opset, last opset, IR version), per the ONNX releases that introduced them.
    private static readonly (int FirstOpset, int LastOpset, int IrVersion)[] Table =
    [
        (1, 6, 3),    // opset_import itself arrived with IR 3
        (7, 8, 3),    // onnx 1.2, 1.3
        (9, 9, 4),    // onnx 1.4
        (10, 10, 5),  // onnx 1.5
        (11, 11, 6),  // onnx 1.6
        (12, 14, 7),  // onnx 1.7 - 1.9
        (15, 18, 8),  // onnx 1.10 - 1.13
        (19, 20, 9),  // onnx 1.14 - 1.15
        (21, 22, 10), // onnx 1.16 - 1.17
        (23, 23, 11), // onnx 1.18
        (24, 24, 12), // onnx 1.19
        (25, 26, 13), // onnx 1.20 (2-bit types) - 1.21
    ];

    /// <summary>The highest IR version this build knows.</summary>
    public const int MaxKnownIrVersion = 13;

    /// <summary>The minimum IR version for a default-domain opset, or null when the opset is unknown.</summary>
    public static int? MinimumIrVersion(long opset)
    {
        foreach (var (first, last, ir) in Table)
            if (opset >= first && opset <= last) return ir;
        return null;
    }
}
