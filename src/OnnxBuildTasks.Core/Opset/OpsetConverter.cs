using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Opset;

/// <summary>
/// Converts a model's default-domain (ai.onnx) opset up or down, one version step at a time, with
/// an adapter per operator schema change (in the manner of onnx's version_converter, both ways).
/// Subgraphs (If/Loop/Scan bodies) are converted too; nodes of other domains are left untouched
/// and listed in the report. Works on the ModelProto only: external-data tensors stay references.
/// </summary>
public static class OpsetConverter
{
    private const string DefaultDomain = "";

    /// <summary>The oldest default-domain opset the converter reads or writes.</summary>
    public const int MinOpset = OperatorHistory.MinOpset;

    /// <summary>The newest default-domain opset the converter reads or writes (the newest ONNX Runtime runs).</summary>
    public const int MaxOpset = OperatorHistory.MaxOpset;

    /// <summary>
    /// Converts <paramref name="model"/> to <paramref name="targetOpset"/>. The input model is not
    /// modified. Throws <see cref="OnnxBuildException"/> (OBT50xx) naming node, operator, both
    /// versions and the reason when a node cannot be expressed in the target opset.
    /// </summary>
    public static OpsetConversionResult Convert(ModelProto model, int targetOpset, OpsetConversionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new OpsetConversionOptions();
        var import = model.OpsetImport.FirstOrDefault(o => o.Domain is DefaultDomain or "ai.onnx")
            ?? throw new OnnxBuildException(ErrorCodes.OpsetOutOfRange, "The model imports no default-domain (ai.onnx) opset, so there is nothing to convert.");
        int source = checked((int)import.Version);
        CheckRange(source, "The model's opset");
        CheckRange(targetOpset, "The target opset");

        var converted = model.Clone(); // tensor bytes are immutable ByteStrings: shared, not copied
        KeepExternalDataSources(model, converted);
        var names = new NameAllocator(converted.Graph);
        var steps = new List<OpsetStep>();
        var notes = new List<string>();
        var domains = new SortedDictionary<string, int>(StringComparer.Ordinal);
        CountDomains(converted.Graph, domains);
        if (converted.Functions.Count > 0)
            notes.Add($"{converted.Functions.Count} model-local function(s) keep their own opset imports and are not converted");

        int direction = Math.Sign(targetOpset - source);
        for (int from = source; from != targetOpset; from += direction)
        {
            int to = from + direction;
            var changes = new List<OpsetNodeChange>();
            ConvertGraph(new GraphScope(converted.Graph, null, names, "main graph"), from, to, changes, notes, options);
            steps.Add(new OpsetStep(from, to, changes));
        }

        converted.OpsetImport.First(o => o.Domain is DefaultDomain or "ai.onnx").Version = targetOpset;
        converted.IrVersion = TargetIrVersion(converted, model.IrVersion, source, targetOpset);
        var report = new OpsetConversionReport
        {
            SourceOpset = source,
            TargetOpset = targetOpset,
            SourceIrVersion = model.IrVersion,
            TargetIrVersion = converted.IrVersion,
            Steps = steps,
            UntouchedDomains = domains,
            Notes = notes,
        };
        return new OpsetConversionResult(converted, report);
    }

    /// <summary>The clone's external tensors read from the same folder as the originals (so saving streams them across).</summary>
    private static void KeepExternalDataSources(ModelProto original, ModelProto clone)
    {
        foreach (var (source, copy) in ModelTensors.All(original).Zip(ModelTensors.All(clone)))
            if (ExternalData.IsExternal(source.Tensor) && ExternalData.SourceFolderOf(source.Tensor) is { } folder)
                ExternalData.RecordSourceFolder(copy.Tensor, folder);
    }

    private static void CheckRange(int opset, string what)
    {
        if (opset < OperatorHistory.MinOpset || opset > OperatorHistory.MaxOpset)
            throw new OnnxBuildException(ErrorCodes.OpsetOutOfRange,
                $"{what} {opset} is outside the range the converter handles ({OperatorHistory.MinOpset}..{OperatorHistory.MaxOpset}).");
    }

    private static void ConvertGraph(GraphScope scope, int from, int to, List<OpsetNodeChange> changes, List<string> notes, OpsetConversionOptions options)
    {
        var result = new List<NodeProto>(scope.Graph.Node.Count);
        foreach (var node in scope.Graph.Node)
        {
            foreach (var attr in node.Attribute)
            {
                if (attr.G is { } g) ConvertGraph(Child(scope, g, node, attr.Name), from, to, changes, notes, options);
                foreach (var sub in attr.Graphs) ConvertGraph(Child(scope, sub, node, attr.Name), from, to, changes, notes, options);
            }
            if (node.Domain is not (DefaultDomain or "ai.onnx"))
            {
                result.Add(node);
                continue;
            }
            if (!OperatorHistory.Versions.ContainsKey(node.OpType))
                throw new OnnxBuildException(ErrorCodes.OpsetUnknownOperator,
                    $"Node '{node.Name}' in the {scope.Path} uses '{node.OpType}', which is not an operator of the default ONNX domain; fix the model or give the node its custom domain.");
            int version = to > from ? to : from; // the schema version that appears (up) or goes away (down)
            var edit = new NodeEdit(node, scope, from, to);
            if (OperatorHistory.ChangesAt(node.OpType, version))
            {
                var adapters = AdapterRegistry.Find(node.OpType, version)
                    ?? throw new OnnxBuildException(ErrorCodes.Internal, $"No adapter for {node.OpType}-{version}; this is a bug in the converter.");
                if (to > from)
                    foreach (var a in adapters) { a.Upgrade(edit); if (edit.Removed) break; }
                else
                    foreach (var a in adapters.Reverse()) { a.Downgrade(edit); if (edit.Removed) break; }
            }
            if (edit.Unverified.Count > 0 && !options.AllowUnverifiedTypes)
                throw edit.Fail(ErrorCodes.OpsetTypeNotInTarget, edit.Unverified[0] + " (AllowUnverifiedTypes is off)");
            notes.AddRange(edit.Notes.Concat(edit.Unverified.Select(u => "unverified: " + u)).Select(n => $"{from}->{to} {edit.Describe}: {n}"));
            result.AddRange(edit.Before);
            if (!edit.Removed) result.Add(node);
            result.AddRange(edit.After);
            if (edit.Changed)
                changes.Add(new OpsetNodeChange(scope.Path, node.Name.Length > 0 ? node.Name : node.Output.FirstOrDefault() ?? "?", node.OpType,
                    edit.Removed ? $"replaced by {edit.Before.Count} node(s)" : edit.Before.Count + edit.After.Count > 0 ? $"rewritten with {edit.Before.Count + edit.After.Count} new node(s)" : "rewritten"));
        }
        scope.Graph.Node.Clear();
        scope.Graph.Node.AddRange(result);
    }

    private static GraphScope Child(GraphScope parent, GraphProto g, NodeProto owner, string attr) =>
        new(g, parent, parent.Names, $"{attr} of node '{owner.Name}' ({owner.OpType}) in the {parent.Path}");

    private static void CountDomains(GraphProto g, IDictionary<string, int> domains)
    {
        foreach (var n in g.Node)
        {
            if (n.Domain is not (DefaultDomain or "ai.onnx")) domains[n.Domain] = domains.TryGetValue(n.Domain, out var c) ? c + 1 : 1;
            foreach (var a in n.Attribute)
            {
                if (a.G is { } sub) CountDomains(sub, domains);
                foreach (var s in a.Graphs) CountDomains(s, domains);
            }
        }
    }

    /// <summary>
    /// Same opset: unchanged. Up: at least the IR version released with the target opset. Down: that IR version, but not
    /// below 4 when the graph keeps initializers out of its inputs or uses external data (IR 4
    /// features), nor below 8 when the model has local functions.
    /// </summary>
    private static long TargetIrVersion(ModelProto model, long sourceIr, int source, int target)
    {
        if (target == source) return sourceIr;
        long ir = Validation.IrVersionTable.MinimumIrVersion(target)
            ?? throw new InvalidOperationException($"No IR version is known for opset {target}.");
        if (target > source) return Math.Max(ir, sourceIr);
        var inputs = model.Graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        if (model.Graph.Initializer.Any(t => !inputs.Contains(t.Name) || TensorValues.IsExternal(t))) ir = Math.Max(ir, 4);
        if (model.Functions.Count > 0) ir = Math.Max(ir, 8);
        return ir;
    }
}
