using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Validation;

/// <summary>
/// Checks one graph and, recursively, its subgraphs: single assignment of value names, every node
/// input defined before use (cycles told apart from mere misordering), graph outputs defined, typed
/// main-graph inputs and outputs, and well-formed initializers.
/// </summary>
internal sealed class GraphChecker(string? modelDirectory, List<CheckFinding> findings)
{
    /// <summary>A node's name, or its op type and index when it has none.</summary>
    public static string Label(NodeProto node, int index) =>
        string.IsNullOrEmpty(node.Name) ? $"{node.OpType}#{index}" : node.Name;

    public void CheckMainGraph(GraphProto graph) => CheckGraph(graph, new HashSet<string>(StringComparer.Ordinal), isMain: true);

    private void CheckGraph(GraphProto graph, IReadOnlySet<string> outerScope, bool isMain)
    {
        var where = isMain ? "" : $" in subgraph '{graph.Name}'";
        var defined = new HashSet<string>(StringComparer.Ordinal);
        var graphInputs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in graph.Input)
        {
            if (!graphInputs.Add(input.Name))
                Add(ErrorCodes.DuplicateValueName, $"Graph input '{input.Name}'{where} is listed twice.", value: input.Name);
            defined.Add(input.Name);
            if (isMain) CheckTyped(input, "input");
        }
        var initializers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tensor in graph.Initializer)
        {
            if (string.IsNullOrEmpty(tensor.Name))
                Add(ErrorCodes.InitializerMalformed, $"An initializer{where} has no name; every initializer needs one.");
            else if (!initializers.Add(tensor.Name))
                Add(ErrorCodes.DuplicateValueName, $"Initializer '{tensor.Name}'{where} is defined twice.", value: tensor.Name);
            defined.Add(tensor.Name);
            foreach (var finding in InitializerChecker.Check(tensor, modelDirectory, where))
                findings.Add(finding);
        }
        foreach (var sparse in graph.SparseInitializer)
        {
            var name = sparse.Values?.Name ?? "";
            if (name.Length > 0 && !initializers.Add(name))
                Add(ErrorCodes.DuplicateValueName, $"Sparse initializer '{name}'{where} is defined twice.", value: name);
            defined.Add(name);
        }

        CheckNodes(graph, defined, outerScope, where);

        foreach (var output in graph.Output)
        {
            if (!defined.Contains(output.Name) && !outerScope.Contains(output.Name))
                Add(ErrorCodes.UndefinedGraphOutput,
                    $"Graph output '{output.Name}'{where} is not produced by any node, initializer or input; fix the output list or the graph.", value: output.Name);
            if (isMain) CheckTyped(output, "output");
        }
    }

    private void CheckNodes(GraphProto graph, HashSet<string> defined, IReadOnlySet<string> outerScope, string where)
    {
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < graph.Node.Count; i++)
            foreach (var output in graph.Node[i].Output)
                if (output.Length > 0) producer.TryAdd(output, i);

        var lateEdges = new List<(int Producer, int Consumer, string Value)>();
        for (int i = 0; i < graph.Node.Count; i++)
        {
            var node = graph.Node[i];
            var label = Label(node, i);
            foreach (var input in node.Input)
            {
                if (input.Length == 0 || defined.Contains(input) || outerScope.Contains(input)) continue;
                if (producer.TryGetValue(input, out var p) && p > i)
                    lateEdges.Add((p, i, input));
                else
                    Add(ErrorCodes.UndefinedValue,
                        $"Node '{label}' ({node.OpType}){where} reads '{input}', which no graph input, initializer, earlier node or outer scope defines.",
                        node: label, value: input);
            }
            foreach (var attribute in node.Attribute)
            {
                var subgraphs = attribute.G is null ? attribute.Graphs : attribute.Graphs.Prepend(attribute.G);
                foreach (var sub in subgraphs)
                {
                    var scope = new HashSet<string>(outerScope, StringComparer.Ordinal);
                    scope.UnionWith(defined);
                    CheckGraph(sub, scope, isMain: false);
                }
            }
            foreach (var output in node.Output)
            {
                if (output.Length == 0) continue;
                if (defined.Contains(output) || outerScope.Contains(output))
                    Add(ErrorCodes.DuplicateValueName,
                        $"Node '{label}' ({node.OpType}){where} assigns '{output}', which is already defined; ONNX graphs must assign each value once.",
                        node: label, value: output);
                defined.Add(output);
            }
        }
        if (lateEdges.Count > 0)
            ReportLateEdges(graph, producer, lateEdges, where);
    }

    private void ReportLateEdges(GraphProto graph, Dictionary<string, int> producer, List<(int Producer, int Consumer, string Value)> lateEdges, string where)
    {
        var cycle = NodeCycles.Find(graph, producer);
        var inCycle = cycle.ToHashSet();
        if (cycle.Count > 0)
        {
            var names = cycle.Select(i => Label(graph.Node[i], i)).ToList();
            Add(ErrorCodes.GraphCycle,
                $"Nodes {string.Join(" -> ", names.Append(names[0]).Select(n => "'" + n + "'"))}{where} form a cycle; an ONNX graph must be acyclic.",
                node: names[0]);
        }
        foreach (var (p, c, value) in lateEdges)
        {
            if (inCycle.Contains(p) && inCycle.Contains(c)) continue;
            var label = Label(graph.Node[c], c);
            Add(ErrorCodes.NodeOrder,
                $"Node '{label}'{where} reads '{value}' before node '{Label(graph.Node[p], p)}' produces it; nodes must be in topological order (sort the graph).",
                node: label, value: value);
        }
    }

    private void CheckTyped(ValueInfoProto value, string kind)
    {
        var type = value.Type;
        bool typed = type is not null && type.ValueCase != TypeProto.ValueOneofCase.None
            && (type.ValueCase != TypeProto.ValueOneofCase.TensorType || type.TensorType.ElemType != 0);
        if (!typed)
            Add(ErrorCodes.UntypedGraphValue,
                $"Graph {kind} '{value.Name}' has no type; every graph input and output needs an element type (and a shape, possibly symbolic).",
                value: value.Name);
    }

    private void Add(string code, string message, string? node = null, string? value = null) =>
        findings.Add(new CheckFinding(code, message, node, value));
}
