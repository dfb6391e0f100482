namespace OnnxBuildTasks.Opset;

/// <summary>Facts: the IR version each ONNX release paired with its default-domain opset (onnx's VERSION_TABLE).</summary>
internal static class IrVersions
{
    private static readonly (int Opset, int Ir)[] Table =
    [
        (7, 3), (8, 3), (9, 4), (10, 5), (11, 6), (12, 7), (13, 7), (14, 7), (15, 8), (16, 8), (17, 8), (18, 8),
        (19, 9), (20, 9), (21, 10),
    ];

    /// <summary>The IR version released together with <paramref name="opset"/>.</summary>
    public static int ForOpset(int opset) => Table.Last(e => e.Opset <= opset).Ir;
}
