using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Validation;

/// <summary>
/// Structural check of an ONNX model, in the spirit of onnx's checker: topological order and
/// single assignment of values, opset imports for every domain, IR version against the opset, typed
/// graph inputs and outputs, well-formed initializers (inline and external), subgraphs included.
/// </summary>
public static class ModelChecker
{
    /// <summary>All problems found, in model order; empty when the model is well formed.</summary>
    /// <param name="model">The model to check.</param>
    /// <param name="modelDirectory">The model's folder, to check external data files; null skips file checks (locations are still checked).</param>
    public static IReadOnlyList<CheckFinding> Check(ModelProto model, string? modelDirectory)
    {
        ArgumentNullException.ThrowIfNull(model);
        var findings = new List<CheckFinding>();
        if (model.Graph is null)
        {
            findings.Add(new CheckFinding(ErrorCodes.GraphMissing, "The model has no graph; re-export it."));
            return findings;
        }
        OpsetChecker.Check(model, findings);
        new GraphChecker(modelDirectory, findings).CheckMainGraph(model.Graph);
        return findings;
    }

    /// <summary>
    /// Throws an <see cref="OnnxBuildException"/> with the first finding's code and a message listing every
    /// finding when the model is not well formed.
    /// </summary>
    /// <param name="model">The model to check.</param>
    /// <param name="modelDirectory">The model's folder (for external data), or null.</param>
    /// <param name="itemName">The item or file named in the message.</param>
    public static void ThrowIfInvalid(ModelProto model, string? modelDirectory, string itemName)
    {
        var findings = Check(model, modelDirectory);
        if (findings.Count == 0) return;
        const int Shown = 20;
        var lines = findings.Take(Shown).Select(f => $"  {f.Code}: {f.Message}");
        var more = findings.Count > Shown ? $"{Environment.NewLine}  ... and {findings.Count - Shown} more" : "";
        throw new OnnxBuildException(findings[0].Code,
            $"'{itemName}' is not a well-formed ONNX model ({findings.Count} problem{(findings.Count == 1 ? "" : "s")}): {findings[0].Message}"
            + Environment.NewLine + string.Join(Environment.NewLine, lines) + more);
    }
}
