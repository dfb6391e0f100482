namespace OnnxBuildTasks.Checkpoints;

/// <summary>What an allowed pickle global stands for.</summary>
internal enum PickleGlobalKind
{
    /// <summary><c>collections.OrderedDict</c>: called with no arguments to make a state dict.</summary>
    OrderedDict,
    /// <summary><c>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])</c>.</summary>
    RebuildTensorV2,
    /// <summary><c>torch._utils._rebuild_parameter(data, requires_grad, hooks)</c>: a Parameter is its tensor.</summary>
    RebuildParameter,
    /// <summary><c>torch._utils._rebuild_parameter_with_state(data, requires_grad, hooks, state)</c>.</summary>
    RebuildParameterWithState,
    /// <summary>A <c>torch.*Storage</c> class named in a persistent id (never called).</summary>
    StorageType,
}

/// <summary>An allowed global as the unpickler hands it around (nothing is imported or executed).</summary>
internal sealed record PickleGlobal(string Module, string Name, PickleGlobalKind Kind, TensorDType StorageDType)
{
    public override string ToString() => Module + "." + Name;
}

/// <summary>
/// The only globals a pytorch_model.bin pickle may name: what torch.save emits for a state dict,
/// the same promise as <c>torch.load(weights_only=True)</c>. Everything else is refused by name
/// before anything happens; <c>torch.storage._load_from_bytes</c> (which runs torch.load) is not allowed.
/// </summary>
internal static class PickleAllowList
{
    private static readonly Dictionary<(string, string), PickleGlobal> Allowed = Build();

    /// <summary>The allowed global named <paramref name="module"/>.<paramref name="name"/>, or null.</summary>
    public static PickleGlobal? Find(string module, string name) =>
        Allowed.TryGetValue((module, name), out var global) ? global : null;

    /// <summary>All allowed names, for messages and docs.</summary>
    public static IEnumerable<string> Names => Allowed.Values.Select(g => g.ToString()).Order(StringComparer.Ordinal);

    private static Dictionary<(string, string), PickleGlobal> Build()
    {
        (string Module, string Name, PickleGlobalKind Kind)[] callables =
        [
            ("collections", "OrderedDict", PickleGlobalKind.OrderedDict),
            ("torch._utils", "_rebuild_tensor_v2", PickleGlobalKind.RebuildTensorV2),
            ("torch._utils", "_rebuild_parameter", PickleGlobalKind.RebuildParameter),
            ("torch._utils", "_rebuild_parameter_with_state", PickleGlobalKind.RebuildParameterWithState),
        ];
        var table = callables.ToDictionary(c => (c.Module, c.Name), c => new PickleGlobal(c.Module, c.Name, c.Kind, default));
        foreach (var dtype in Enum.GetValues<TensorDType>())
        {
            string storage = dtype.TorchStorageName();
            table[("torch", storage)] = new PickleGlobal("torch", storage, PickleGlobalKind.StorageType, dtype);
        }
        return table;
    }
}
