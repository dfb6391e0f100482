using OnnxBuildTasks.Onnx;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Validation;

/// <summary>
/// A text model's inputs made from <see cref="SampleText.Texts"/>: input_ids with the model's special tokens,
/// attention_mask (right padding) and zero token_type_ids, shaped [batch, sequence] or, for multiple choice,
/// [batch, num_choices, sequence] with each text repeated per choice. Only for models whose inputs are all of these.
/// </summary>
internal static class TokenizedInputs
{
    private static readonly HashSet<string> TextInputNames = new(StringComparer.Ordinal) { "input_ids", "attention_mask", "token_type_ids" };

    /// <summary>The tokenized inputs, or null with the reason when the model's inputs or vocabulary do not fit tokenized text.</summary>
    public static IReadOnlyDictionary<string, HostTensor>? TryCreate(ModelProto model, SampleText text, out string reason)
    {
        var graph = model.Graph;
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        var other = inputs.FirstOrDefault(i => !TextInputNames.Contains(i.Name));
        reason = other is not null ? $"input '{other.Name}' is not a text input"
            : !inputs.Any(i => i.Name == "input_ids") ? "the model has no input_ids input"
            : inputs.Any(i => i.Type?.TensorType?.Shape?.Dim.Count is not (2 or 3)) ? "a text input is not [batch, sequence] or [batch, choices, sequence]"
            : "";
        if (reason.Length > 0) return null;

        var dims = inputs[0].Type.TensorType.Shape.Dim;
        var fixedBatch = Fixed(dims[0]);
        var fixedLength = Fixed(dims[^1]);
        if (fixedBatch is long batch && batch != SampleText.Texts.Count)
        {
            reason = $"the model's batch size is fixed at {batch}";
            return null;
        }
        int maxLength = (int)(fixedLength ?? SampleText.DefaultMaxLength);
        var encoded = text.Encode(SampleText.Texts, maxLength, padTo: (int?)fixedLength);
        var vocabulary = SampleInputs.VocabularySize(graph, "input_ids");
        if (vocabulary is long size && encoded.InputIds.Any(id => id >= size))
        {
            reason = $"the {text.Family} tokenizer gives ids beyond the model's vocabulary of {size}";
            return null;
        }

        long choices = dims.Count == 3 ? Fixed(dims[1]) ?? SampleInputs.NumChoices : 1;
        long[] shape = dims.Count == 3 ? [encoded.Rows, choices, encoded.Length] : [encoded.Rows, encoded.Length];
        var result = new OrderedDictionary<string, HostTensor>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            var values = input.Name switch
            {
                "input_ids" => Repeat(encoded.InputIds, encoded.Length, choices),
                "attention_mask" => Repeat(encoded.AttentionMask, encoded.Length, choices),
                _ => new double[encoded.Rows * choices * encoded.Length],
            };
            var tensor = SampleInputs.Tensor((DataType)input.Type.TensorType.ElemType, shape, values);
            if (tensor is null)
            {
                reason = $"input '{input.Name}' has element type {(DataType)input.Type.TensorType.ElemType}";
                return null;
            }
            result[input.Name] = tensor;
        }
        return result;
    }

    private static long? Fixed(TensorShapeProto.Types.Dimension dim) =>
        dim.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? dim.DimValue : null;

    // Each row of `length` values repeated `times` times in a row (the choices of a multiple-choice batch).
    private static double[] Repeat(long[] rows, int length, long times)
    {
        var result = new List<double>(rows.Length * (int)times);
        for (int start = 0; start < rows.Length; start += length)
            for (long t = 0; t < times; t++)
                result.AddRange(rows.Skip(start).Take(length).Select(v => (double)v));
        return result.ToArray();
    }
}
