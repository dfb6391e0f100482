using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Opset;

/// <summary>Hands out value and node names no graph of the model uses yet.</summary>
internal sealed class NameAllocator
{
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private int _next;

    public NameAllocator(GraphProto graph) => Collect(graph);

    /// <summary>A fresh name starting with <paramref name="hint"/>.</summary>
    public string New(string hint)
    {
        string name;
        do name = $"{hint}_cv{_next++}"; while (!_used.Add(name));
        return name;
    }

    private void Collect(GraphProto g)
    {
        foreach (var v in g.Input) _used.Add(v.Name);
        foreach (var v in g.Output) _used.Add(v.Name);
        foreach (var t in g.Initializer) _used.Add(t.Name);
        foreach (var n in g.Node)
        {
            _used.Add(n.Name);
            foreach (var o in n.Output) _used.Add(o);
            foreach (var a in n.Attribute)
            {
                if (a.G is { } sub) Collect(sub);
                foreach (var s in a.Graphs) Collect(s);
            }
        }
    }
}
