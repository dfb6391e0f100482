using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Checkpoints;

// The torch half of the restricted unpickler: allowed globals, persistent ids, and what "calling"
// an allowed global means (building a description; nothing runs).
internal sealed partial class PickleReader
{
    private PickleGlobal ResolveGlobal(string module, string name) =>
        PickleAllowList.Find(module, name) ?? throw new OnnxBuildException(ErrorCodes.PickleGlobalRefused,
            $"'{_origin}' names the global '{module}.{name}', which is not allowed in a state dict (only {string.Join(", ", PickleAllowList.Names)}). " +
            "Nothing was executed. Only load checkpoints you trust; convert this one to safetensors in Python if it is yours.");

    private StorageRef PersistentLoad(object? pid)
    {
        // ('storage', torch.XStorage, key, location, numel) is the only persistent id torch.save writes.
        if (pid is not PickleTuple { Items: ["storage", PickleGlobal { Kind: PickleGlobalKind.StorageType } type, string key, string location, long numel] })
            throw Invalid($"a persistent id before byte {_pos} is not ('storage', torch.XStorage, key, location, numel)");
        if (numel < 0) throw Invalid($"storage '{key}' has a negative size");
        return new StorageRef(type.StorageDType, key, location, numel);
    }

    private object? Reduce(object? callable, object? args)
    {
        if (callable is not PickleGlobal global)
            throw Invalid($"REDUCE at byte {_pos - 1} calls a {Describe(callable)}");
        if (args is not PickleTuple tuple)
            throw Invalid($"REDUCE of {global} at byte {_pos - 1} has no argument tuple");
        var a = tuple.Items;
        switch (global.Kind)
        {
            case PickleGlobalKind.OrderedDict when a.Length == 0:
                return new PickleDict();
            case PickleGlobalKind.RebuildTensorV2 when a.Length is 6 or 7:
                return RebuildTensor(a);
            case PickleGlobalKind.RebuildParameter when a.Length == 3 && a[0] is TensorRef:
                CheckHooks(a[2]);
                return a[0];
            case PickleGlobalKind.RebuildParameterWithState when a.Length == 4 && a[0] is TensorRef:
                CheckHooks(a[2]);
                return a[0];
            case PickleGlobalKind.StorageType:
                throw new OnnxBuildException(ErrorCodes.PickleGlobalRefused,
                    $"'{_origin}' calls '{global}', which a state dict only names in persistent ids; nothing was executed.");
            default:
                throw Invalid($"{global} is called with {a.Length} argument(s) of an unexpected form");
        }
    }

    private TensorRef RebuildTensor(object?[] a)
    {
        // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        if (a[0] is not StorageRef storage) throw Invalid("_rebuild_tensor_v2's first argument is not a storage");
        if (a[1] is not long offset || offset < 0) throw Invalid("_rebuild_tensor_v2's storage offset is not a non-negative integer");
        long[] size = Longs(a[2], "size");
        long[] stride = Longs(a[3], "stride");
        if (size.Length != stride.Length) throw Invalid($"_rebuild_tensor_v2 has {size.Length} sizes but {stride.Length} strides");
        if (a[4] is not bool) throw Invalid("_rebuild_tensor_v2's requires_grad is not a bool");
        CheckHooks(a[5]);
        return new TensorRef(storage, offset, size, stride);
    }

    private long[] Longs(object? value, string what)
    {
        if (value is not PickleTuple t) throw Invalid($"_rebuild_tensor_v2's {what} is not a tuple");
        var result = new long[t.Items.Length];
        for (int i = 0; i < result.Length; i++)
            result[i] = t.Items[i] is long v ? v : throw Invalid($"_rebuild_tensor_v2's {what} holds a {Describe(t.Items[i])}, not an integer");
        return result;
    }

    private void CheckHooks(object? hooks)
    {
        // Backward hooks would be callables; a saved state dict has none (an empty OrderedDict).
        if (hooks is not PickleDict { Items.Count: 0 } && hooks is not null)
            throw Invalid("a tensor carries backward hooks, which a state dict never has");
    }

    private void Build(object? target, object? state)
    {
        // torch.save's OrderedDict carries its `_metadata` (module versions) as state: accept and ignore it.
        if (target is PickleDict && state is PickleDict or null) return;
        throw Invalid($"BUILD at byte {_pos - 1} sets state on a {Describe(target)}; only a state dict's metadata is accepted");
    }
}
