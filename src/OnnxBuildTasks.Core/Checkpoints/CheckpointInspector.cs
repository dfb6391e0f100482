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
        var tensors = new List<InspectedTensor>();
        foreach (string name in checkpoint.TensorNames)
        {
            var tensor = checkpoint.GetTensor(name);
            tensors.Add(new InspectedTensor(name, tensor.DType, tensor.Shape, checkpoint.TiedSources.GetValueOrDefault(name), tensor.DataIdentity,
                tensor.ElementCount, tensor.ByteLength));
        }
        Write(output, $"Checkpoint: {folder}", $"{checkpoint.Format} ({string.Join(", ", checkpoint.Files)})", checkpoint.Config, tensors);
    }

    /// <summary>One tensor as the description lists it; <c>Data</c> identifies its bytes (tied or shared tensors are counted once).</summary>
    internal sealed record InspectedTensor(string Name, TensorDType DType, IReadOnlyList<long> Shape, string? TiedTo, object Data, long Elements, long Bytes);

    /// <summary>Writes the description of a checkpoint, local or remote, from its config and tensors.</summary>
    internal static void Write(TextWriter output, string title, string format, ModelConfig config, IReadOnlyList<InspectedTensor> tensors)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(title);
        output.WriteLine($"Format: {format}");
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

        var sorted = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        int width = sorted.Count == 0 ? 0 : sorted.Max(t => t.Name.Length);
        output.WriteLine($"Tensors ({sorted.Count}):");
        long parameters = 0, bytes = 0;
        var counted = new HashSet<object>();
        foreach (var t in sorted)
        {
            output.WriteLine($"  {t.Name.PadRight(width)}  {t.DType.SafetensorsName(),-4}  [{string.Join(", ", t.Shape)}]{(t.TiedTo is { } source ? "  (tied to " + source + ")" : "")}");
            if (!counted.Add(t.Data)) continue; // tied or shared storage: count the data once
            parameters += t.Elements;
            bytes += t.Bytes;
        }
        output.WriteLine($"Total: {parameters.ToString("N0", inv)} parameters, {bytes.ToString("N0", inv)} bytes ({FormatBytes(bytes)}){(counted.Count < sorted.Count ? ", shared and tied weights counted once" : "")}");
    }

    private static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };
}
