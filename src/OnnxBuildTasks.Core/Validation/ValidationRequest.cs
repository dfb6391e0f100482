namespace OnnxBuildTasks.Validation;

/// <summary>What <see cref="ModelValidator.Validate"/> checks: a model, what to feed it and what to compare with.</summary>
public sealed class ValidationRequest
{
    /// <summary>The .onnx file to validate (its external data beside it).</summary>
    public required string ModelPath { get; init; }

    /// <summary>A model whose outputs on the same inputs are the reference (e.g. the source of a conversion).</summary>
    public string? ReferenceModelPath { get; init; }

    /// <summary>
    /// Inputs to feed, by model input name; null tokenizes <see cref="SampleText.Texts"/> with the tokenizer in
    /// <see cref="TextFolder"/> when the model takes text inputs, else generates sample inputs (see <see cref="SampleInputs"/>).
    /// </summary>
    public IReadOnlyDictionary<string, HostTensor>? Inputs { get; init; }

    /// <summary>A folder with the model's tokenizer files (the checkpoint folder, or the output folder they were copied to), or null.</summary>
    public string? TextFolder { get; init; }

    /// <summary>Expected outputs by name (e.g. from outputs.json), compared when no reference model is given.</summary>
    public IReadOnlyDictionary<string, HostTensor>? Expected { get; init; }

    /// <summary>Largest absolute difference accepted per element [1e-4].</summary>
    public double Atol { get; init; } = 1e-4;

    /// <summary>The item or file named in messages; defaults to the model's file name.</summary>
    public string? ItemName { get; init; }
}
