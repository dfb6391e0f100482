using System.Text;
using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Opset;

/// <summary>The converted model and what was done to it.</summary>
public sealed class OpsetConversionResult(ModelProto model, OpsetConversionReport report)
{
    /// <summary>The converted model: a new ModelProto; the input model is left as it was. External-data tensors stay references.</summary>
    public ModelProto Model { get; } = model;

    /// <summary>Steps applied, nodes changed, domains left untouched and checks that could not be made.</summary>
    public OpsetConversionReport Report { get; } = report;
}

/// <summary>One node an adapter changed, replaced or decomposed.</summary>
/// <param name="Graph">Which graph: "main graph" or a subgraph path.</param>
/// <param name="Node">Node name (or its first output when unnamed).</param>
/// <param name="Op">Operator type before the step.</param>
/// <param name="Action">What happened: "rewritten" or "replaced by N nodes".</param>
public sealed record OpsetNodeChange(string Graph, string Node, string Op, string Action);

/// <summary>One opset step (from -&gt; to, adjacent versions) and the nodes it changed.</summary>
public sealed record OpsetStep(int From, int To, IReadOnlyList<OpsetNodeChange> Changes);

/// <summary>The report of a conversion: steps, changed nodes, untouched domains, unverified checks.</summary>
public sealed class OpsetConversionReport
{
    /// <summary>The model's default-domain opset before conversion.</summary>
    public required int SourceOpset { get; init; }

    /// <summary>The default-domain opset written to the converted model.</summary>
    public required int TargetOpset { get; init; }

    /// <summary>The model's ir_version before conversion.</summary>
    public required long SourceIrVersion { get; init; }

    /// <summary>The converted model's ir_version (the one released with the target opset, see the converter).</summary>
    public required long TargetIrVersion { get; init; }

    /// <summary>Every adjacent-version step walked, in order, with the nodes it changed.</summary>
    public required IReadOnlyList<OpsetStep> Steps { get; init; }

    /// <summary>Domains other than the default one (e.g. com.microsoft) and how many nodes use each: left untouched.</summary>
    public required IReadOnlyDictionary<string, int> UntouchedDomains { get; init; }

    /// <summary>Checks the converter could not make (e.g. unknown element types), one line each.</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    /// <summary>Total number of node changes over all steps.</summary>
    public int NodesChanged => Steps.Sum(s => s.Changes.Count);

    /// <summary>A human-readable summary, one fact per line.</summary>
    public string ToText()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"opset {SourceOpset} -> {TargetOpset} (ir_version {SourceIrVersion} -> {TargetIrVersion}), {Steps.Count} step(s), {NodesChanged} node change(s)");
        foreach (var step in Steps)
        {
            sb.AppendLine($"  step {step.From} -> {step.To}: {step.Changes.Count} node(s) changed");
            foreach (var group in step.Changes.GroupBy(c => (c.Op, c.Action)))
                sb.AppendLine($"    {group.Key.Op}: {group.Key.Action} x{group.Count()}");
        }
        foreach (var (domain, count) in UntouchedDomains)
            sb.AppendLine($"  domain '{domain}' left untouched ({count} node(s))");
        foreach (var note in Notes.Distinct().Take(20))
            sb.AppendLine($"  note: {note}");
        if (Notes.Distinct().Count() > 20) sb.AppendLine($"  note: ... {Notes.Distinct().Count() - 20} more");
        return sb.ToString();
    }
}
