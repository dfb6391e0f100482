namespace OnnxBuildTasks.Onnx;

/// <summary>Where a tensor sits in a model.</summary>
public enum TensorSite
{
    /// <summary>An initializer of the model's main graph.</summary>
    Initializer,

    /// <summary>An initializer of a subgraph (If/Loop/Scan body) or training graph.</summary>
    SubgraphInitializer,

    /// <summary>A tensor attribute of a node (e.g. Constant's value) or part of a sparse tensor.</summary>
    Attribute,
}

/// <summary>A tensor of a model and where it sits.</summary>
public sealed record ModelTensor(TensorProto Tensor, TensorSite Site);

/// <summary>
/// Enumerates every <see cref="TensorProto"/> of a model in a fixed order (main graph initializers
/// first, then the rest depth first), so two copies of a model yield their tensors pairwise.
/// </summary>
public static class ModelTensors
{
    /// <summary>All tensors of the model with where they sit.</summary>
    /// <remarks>Yields a class, not a tuple, so that callers collecting them use the runtime's precompiled code.</remarks>
    public static IEnumerable<ModelTensor> All(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Graph is not null)
            foreach (var t in InGraph(model.Graph, TensorSite.Initializer)) yield return t;
        foreach (var function in model.Functions)
            foreach (var node in function.Node)
                foreach (var t in InNode(node)) yield return t;
        foreach (var training in model.TrainingInfo)
        {
            if (training.Initialization is not null)
                foreach (var t in InGraph(training.Initialization, TensorSite.SubgraphInitializer)) yield return t;
            if (training.Algorithm is not null)
                foreach (var t in InGraph(training.Algorithm, TensorSite.SubgraphInitializer)) yield return t;
        }
    }

    private static IEnumerable<ModelTensor> InGraph(GraphProto graph, TensorSite initializerSite)
    {
        foreach (var t in graph.Initializer) yield return new ModelTensor(t, initializerSite);
        foreach (var sparse in graph.SparseInitializer)
            foreach (var t in InSparse(sparse)) yield return t;
        foreach (var node in graph.Node)
            foreach (var t in InNode(node)) yield return t;
    }

    private static IEnumerable<ModelTensor> InNode(NodeProto node)
    {
        foreach (var attribute in node.Attribute)
        {
            if (attribute.T is not null) yield return new ModelTensor(attribute.T, TensorSite.Attribute);
            foreach (var t in attribute.Tensors) yield return new ModelTensor(t, TensorSite.Attribute);
            if (attribute.SparseTensor is not null)
                foreach (var t in InSparse(attribute.SparseTensor)) yield return t;
            foreach (var sparse in attribute.SparseTensors)
                foreach (var t in InSparse(sparse)) yield return t;
            if (attribute.G is not null)
                foreach (var t in InGraph(attribute.G, TensorSite.SubgraphInitializer)) yield return t;
            foreach (var g in attribute.Graphs)
                foreach (var t in InGraph(g, TensorSite.SubgraphInitializer)) yield return t;
        }
    }

    private static IEnumerable<ModelTensor> InSparse(SparseTensorProto sparse)
    {
        if (sparse.Values is not null) yield return new ModelTensor(sparse.Values, TensorSite.Attribute);
        if (sparse.Indices is not null) yield return new ModelTensor(sparse.Indices, TensorSite.Attribute);
    }
}
