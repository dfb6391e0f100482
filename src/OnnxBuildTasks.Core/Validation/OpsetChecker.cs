using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Validation;

/// <summary>Checks that every operator domain used has an opset import and that the IR version can hold the default opset.</summary>
internal static class OpsetChecker
{
    public static void Check(ModelProto model, List<CheckFinding> findings)
    {
        var imports = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var import in model.OpsetImport)
            imports[Normalize(import.Domain)] = import.Version;

        if (model.IrVersion <= 0)
            findings.Add(new CheckFinding(ErrorCodes.IrVersionMismatch, "The model has no IR version; set ir_version (e.g. 8 for opset 15-18)."));
        else if (imports.TryGetValue("", out var opset) && IrVersionTable.MinimumIrVersion(opset) is int minimum && model.IrVersion < minimum)
            findings.Add(new CheckFinding(ErrorCodes.IrVersionMismatch,
                $"The model declares IR version {model.IrVersion} but imports ai.onnx opset {opset}, which needs IR version {minimum} or later; set ir_version to at least {minimum}."));

        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (node, index) in AllNodes(model.Graph))
        {
            var domain = Normalize(node.Domain);
            if (!imports.ContainsKey(domain) && reported.Add(domain))
                findings.Add(new CheckFinding(ErrorCodes.MissingOpsetImport,
                    $"Node '{GraphChecker.Label(node, index)}' ({node.OpType}) uses domain '{(domain.Length == 0 ? "ai.onnx" : domain)}', which the model has no opset import for; add one to opset_import.",
                    NodeName: GraphChecker.Label(node, index)));
        }
        foreach (var function in model.Functions)
        {
            var local = function.OpsetImport.Select(o => Normalize(o.Domain)).ToHashSet(StringComparer.Ordinal);
            foreach (var node in function.Node)
            {
                var domain = Normalize(node.Domain);
                if (!local.Contains(domain) && reported.Add(function.Name + "/" + domain))
                    findings.Add(new CheckFinding(ErrorCodes.MissingOpsetImport,
                        $"Function '{function.Name}' uses domain '{(domain.Length == 0 ? "ai.onnx" : domain)}' (node {node.OpType}) without an opset import for it.",
                        NodeName: node.Name));
            }
        }
    }

    private static string Normalize(string domain) => domain == "ai.onnx" ? "" : domain;

    private static IEnumerable<(NodeProto Node, int Index)> AllNodes(GraphProto graph)
    {
        for (int i = 0; i < graph.Node.Count; i++)
        {
            var node = graph.Node[i];
            yield return (node, i);
            foreach (var attribute in node.Attribute)
            {
                var subgraphs = attribute.G is null ? attribute.Graphs : attribute.Graphs.Prepend(attribute.G);
                foreach (var sub in subgraphs)
                    foreach (var inner in AllNodes(sub)) yield return inner;
            }
        }
    }
}
