using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Opset;

/// <summary>Tells sequence and optional values apart from tensors (types some opsets added to Identity/If/Loop/Scan).</summary>
internal static class NonTensorValues
{
    private static readonly HashSet<string> SequenceProducers = new(StringComparer.Ordinal)
    {
        "SequenceEmpty", "SequenceConstruct", "SequenceInsert", "SequenceErase", "SplitToSequence", "SequenceMap",
    };

    /// <summary>"sequence", "optional" or null for a declared type.</summary>
    public static string? KindOf(TypeProto? type) => type?.ValueCase switch
    {
        TypeProto.ValueOneofCase.SequenceType => "sequence",
        TypeProto.ValueOneofCase.OptionalType => "optional",
        _ => null,
    };

    /// <summary>The node's outputs that are sequences or optionals.</summary>
    public static IEnumerable<(string Name, string Kind)> Outputs(NodeProto node, Func<string, string?> kindOf)
    {
        if (node.Domain is not ("" or "ai.onnx")) yield break;
        if (SequenceProducers.Contains(node.OpType))
        {
            foreach (var o in node.Output.Where(o => o.Length > 0)) yield return (o, "sequence");
            yield break;
        }
        switch (node.OpType)
        {
            case "Optional":
                yield return (node.Output[0], "optional");
                break;
            case "Identity" when kindOf(node.Input[0]) is { } k:
                yield return (node.Output[0], k);
                break;
            case "Loop":
                // carried values: inputs 2.. map to outputs 0..; the body's declared outputs 1.. say the same
                var body = node.Attribute.FirstOrDefault(a => a.Name == "body")?.G;
                for (int i = 0; i < node.Output.Count; i++)
                {
                    var kind = (i + 2 < node.Input.Count ? kindOf(node.Input[i + 2]) : null)
                               ?? (body is not null && i + 1 < body.Output.Count ? KindOf(body.Output[i + 1].Type) : null);
                    if (kind is not null && node.Output[i].Length > 0) yield return (node.Output[i], kind);
                }
                break;
            case "If":
                var then = node.Attribute.FirstOrDefault(a => a.Name == "then_branch")?.G;
                for (int i = 0; then is not null && i < node.Output.Count && i < then.Output.Count; i++)
                    if (KindOf(then.Output[i].Type) is { } kind) yield return (node.Output[i], kind);
                break;
        }
    }
}
