namespace OnnxBuildTasks.Checkpoints;

/// <summary>
/// Layer norm parameters under their TensorFlow-era names. Checkpoints converted from the original TensorFlow BERT
/// releases (bert-base-uncased, bert-base-chinese and others still widely used) store <c>….LayerNorm.gamma</c> and
/// <c>….LayerNorm.beta</c>; transformers renames them to <c>.weight</c> and <c>.bias</c> when it loads a state dict
/// (only names ending in <c>LayerNorm.gamma</c> / <c>LayerNorm.beta</c>), and so does <see cref="Checkpoint"/>.
/// </summary>
public static class LegacyLayerNormNames
{
    private static readonly (string Old, string New)[] Suffixes =
    [
        ("LayerNorm.gamma", "LayerNorm.weight"),
        ("LayerNorm.beta", "LayerNorm.bias"),
    ];

    /// <summary>The current name for a legacy one, or null when <paramref name="name"/> is not a legacy layer norm name.</summary>
    public static string? Modern(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var (old, modern) in Suffixes)
            if (name.EndsWith(old, StringComparison.Ordinal))
                return string.Concat(name.AsSpan(0, name.Length - old.Length), modern);
        return null;
    }

    /// <summary>
    /// Renames legacy names in place. A legacy name whose modern name is already present stays as it is (the
    /// checkpoint holds both; the modern one is what a loader uses). Returns how many were renamed.
    /// </summary>
    internal static int Rename(Dictionary<string, CheckpointTensor> tensors)
    {
        List<(string Old, string New)>? renames = null;
        foreach (string name in tensors.Keys)
            if (Modern(name) is { } modern && !tensors.ContainsKey(modern))
                (renames ??= []).Add((name, modern));
        if (renames is null) return 0;
        foreach (var (old, modern) in renames)
        {
            tensors[modern] = tensors[old].WithName(modern);
            tensors.Remove(old);
        }
        return renames.Count;
    }
}
