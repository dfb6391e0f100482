using System.Globalization;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Checkpoints;

/// <summary>Describes a checkpoint folder for people: architecture, config summary, every tensor, totals.</summary>
public static class CheckpointInspector
{
    // (label, read) for the config summary; a field the config lacks is left out.
    private static readonly (string Label, Func<ModelConfig, object> Read)[] Summary =
    [
        ("hidden_size", c => c.HiddenSize),
        ("num_attention_heads", c => c.NumAttentionHeads),
        ("num_hidden_layers", c => c.NumHiddenLayers),
        ("intermediate_size", c => c.IntermediateSize),
        ("vocab_size", c => c.VocabSize),
        ("max_position_embeddings", c => c.MaxPositionEmbeddings),
        ("type_vocab_size", c => c.TypeVocabSize),
        ("layer_norm_eps", c => c.LayerNormEps),
        ("hidden_act", c => c.HiddenAct),
        ("tie_word_embeddings", c => c.TieWordEmbeddings),
        ("num_labels", c => c.NumLabels),
    ];

    /// <summary>
    /// Opens <paramref name="folder"/> and writes its description to <paramref name="output"/>.
    /// Throws the checkpoint's coded <see cref="OnnxBuildException"/> when it cannot be read.
    /// </summary>
    public static void Describe(string folder, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var checkpoint = Checkpoint.Open(folder);
        var config = checkpoint.Config;
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine($"Checkpoint: {folder}");
        output.WriteLine($"Format: {checkpoint.Format} ({string.Join(", ", checkpoint.Files)})");
        output.WriteLine($"Model type: {(config.ModelType.Length > 0 ? config.ModelType : "(none)")}");
        output.WriteLine($"Architectures: {(config.Architectures.Count > 0 ? string.Join(", ", config.Architectures) : "(none)")}");
        var fields = new List<string>();
        foreach (var (label, read) in Summary)
        {
            try
            {
                fields.Add(label + "=" + Convert.ToString(read(config), inv)!.ToLowerInvariant());
            }
            catch (OnnxBuildException e) when (e.Code == ErrorCodes.ConfigFieldInvalid)
            {
                // absent from this architecture's config (e.g. T5 has no max_position_embeddings)
            }
        }
        output.WriteLine($"Config: {string.Join(" ", fields)}");
        if (config.Id2Label.Count > 0)
            output.WriteLine($"Labels: {string.Join(", ", config.Id2Label.Select(p => p.Key.ToString(inv) + "=" + p.Value))}");

        var names = checkpoint.TensorNames.Order(StringComparer.Ordinal).ToList();
        int width = names.Count == 0 ? 0 : names.Max(n => n.Length);
        output.WriteLine($"Tensors ({names.Count}):");
        long parameters = 0, bytes = 0;
        var counted = new HashSet<(object, long, long)>();
        foreach (string name in names)
        {
            var tensor = checkpoint.GetTensor(name);
            bool tied = checkpoint.TiedSources.TryGetValue(name, out string? source);
            output.WriteLine($"  {name.PadRight(width)}  {tensor.DType.SafetensorsName(),-4}  [{string.Join(", ", tensor.Shape)}]{(tied ? "  (tied to " + source + ")" : "")}");
            if (!counted.Add(tensor.DataIdentity)) continue; // tied or shared storage: count the data once
            parameters += tensor.ElementCount;
            bytes += tensor.ByteLength;
        }
        output.WriteLine($"Total: {parameters.ToString("N0", inv)} parameters, {bytes.ToString("N0", inv)} bytes ({FormatBytes(bytes)}){(counted.Count < names.Count ? ", shared and tied weights counted once" : "")}");
    }

    private static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };
}
