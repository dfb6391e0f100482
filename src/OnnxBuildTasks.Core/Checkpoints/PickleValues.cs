namespace OnnxBuildTasks.Checkpoints;

// The values the restricted unpickler builds. Plain CLR values stand for Python's None (null),
// bool, int (long), float (double), str (string) and bytes (byte[]); these classes stand for the rest.

/// <summary>A Python tuple.</summary>
internal sealed record PickleTuple(object?[] Items);

/// <summary>A Python list.</summary>
internal sealed class PickleList
{
    public List<object?> Items { get; } = [];
}

/// <summary>A Python dict or OrderedDict, in insertion order (keys are not hashed: they may be any value).</summary>
internal sealed class PickleDict
{
    public List<KeyValuePair<object?, object?>> Items { get; } = [];
}

/// <summary>A Python set or frozenset (kept only so well-formed pickles parse).</summary>
internal sealed class PickleSet
{
    public List<object?> Items { get; } = [];
}

/// <summary>A storage named by a persistent id: <c>('storage', torch.XStorage, key, location, numel)</c>.</summary>
internal sealed record StorageRef(TensorDType DType, string Key, string Location, long ElementCount);

/// <summary>A tensor as <c>_rebuild_tensor_v2</c> describes it: a view (offset, size, stride, in elements) of a storage.</summary>
internal sealed record TensorRef(StorageRef Storage, long StorageOffset, long[] Size, long[] Stride);
