using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Validation;

/// <summary>Finds a cycle among a graph's nodes (edges from a value's producer to its consumers).</summary>
internal static class NodeCycles
{
    /// <summary>The node indices of one cycle, in edge order; empty when the nodes are acyclic.</summary>
    public static List<int> Find(GraphProto graph, IReadOnlyDictionary<string, int> producer)
    {
        int n = graph.Node.Count;
        var successors = new List<int>[n];
        for (int i = 0; i < n; i++) successors[i] = [];
        for (int c = 0; c < n; c++)
            foreach (var input in graph.Node[c].Input)
                if (input.Length > 0 && producer.TryGetValue(input, out var p))
                    successors[p].Add(c);

        // Iterative depth-first search with colours: 0 unvisited, 1 on the stack, 2 done.
        var colour = new byte[n];
        var parent = new int[n];
        for (int start = 0; start < n; start++)
        {
            if (colour[start] != 0) continue;
            var stack = new Stack<(int Node, int Next)>();
            stack.Push((start, 0));
            colour[start] = 1;
            parent[start] = -1;
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                if (next < successors[node].Count)
                {
                    stack.Push((node, next + 1));
                    int s = successors[node][next];
                    if (colour[s] == 1)
                        return Unwind(parent, node, s);
                    if (colour[s] == 0)
                    {
                        colour[s] = 1;
                        parent[s] = node;
                        stack.Push((s, 0));
                    }
                }
                else
                {
                    colour[node] = 2;
                }
            }
        }
        return [];
    }

    private static List<int> Unwind(int[] parent, int last, int first)
    {
        var cycle = new List<int>();
        for (int v = last; v != first; v = parent[v]) cycle.Add(v);
        cycle.Add(first);
        cycle.Reverse();
        return cycle;
    }
}
