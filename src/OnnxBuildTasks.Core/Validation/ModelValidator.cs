using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Validation;

/// <summary>
/// Validates a model: the structural <see cref="ModelChecker"/>, then ONNX Runtime loads and runs it on the
/// given inputs, else on tokenized sample text (<see cref="SampleText"/>, when the model takes text inputs and
/// <see cref="ValidationRequest.TextFolder"/> has a supported tokenizer), else on generated inputs; every output is compared with a reference model's outputs on the same
/// inputs or with expected tensors, within an absolute tolerance.
/// </summary>
public static class ModelValidator
{
    /// <summary>Runs the validation; a failed comparison is in the report (see <see cref="ValidationReport.ThrowIfFailed"/>).</summary>
    /// <exception cref="OnnxBuildException">The model is malformed, cannot be loaded or run, or the inputs do not fit it.</exception>
    public static ValidationReport Validate(ValidationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.ModelPath);
        var itemName = request.ItemName ?? Path.GetFileName(request.ModelPath);
        if (request.Expected is not null && request.Inputs is null)
            throw new OnnxBuildException(ErrorCodes.ValidationInputMismatch,
                $"'{itemName}': expected outputs were given without the inputs they were computed from; give both (--inputs and --expected).");
        var model = OnnxModelFile.Load(request.ModelPath);
        ModelChecker.ThrowIfInvalid(model, Path.GetDirectoryName(Path.GetFullPath(request.ModelPath)), itemName);

        var (inputs, source, note) = ChooseInputs(request, model, itemName);
        bool generated = request.Inputs is null;
        if (!generated) CheckInputs(model, inputs, itemName);

        var actual = OrtRunner.Run(request.ModelPath, inputs, itemName);
        IReadOnlyDictionary<string, HostTensor>? expected = null;
        string? reference = null;
        if (request.ReferenceModelPath is not null)
        {
            OnnxModelFile.Load(request.ReferenceModelPath);
            expected = OrtRunner.Run(request.ReferenceModelPath, inputs, itemName + " (reference)");
            reference = $"reference model '{request.ReferenceModelPath}'";
        }
        else if (request.Expected is not null)
        {
            expected = request.Expected;
            reference = "expected outputs";
        }

        var comparisons = new List<OutputComparison>();
        foreach (var (name, tensor) in actual)
        {
            HostTensor? want = null;
            if (expected is not null && !expected.TryGetValue(name, out want)) continue;
            comparisons.Add(OutputComparison.Compare(name, tensor, want, request.Atol));
        }
        if (expected is not null)
            foreach (var name in expected.Keys.Where(n => !actual.ContainsKey(n)))
                comparisons.Add(OutputComparison.Compare(name, null, expected[name], request.Atol));

        var used = inputs.Select(i => new ValidationInput(i.Key, TensorElementTypes.JsonName(i.Value.ElementType), i.Value.Shape, generated)).ToList();
        return new ValidationReport(itemName, request.ModelPath, reference, request.Atol, used, comparisons) { InputsSource = source, InputsNote = note };
    }

    // Given inputs, else tokenized sample text when the model takes text and a supported tokenizer is there, else generated ids (with why).
    private static (IReadOnlyDictionary<string, HostTensor> Inputs, string Source, string? Note) ChooseInputs(ValidationRequest request, ModelProto model, string itemName)
    {
        if (request.Inputs is not null) return (request.Inputs, ValidationReport.GivenInputs, null);
        string reason = "no tokenizer folder was given";
        var text = request.TextFolder is null ? null : SampleText.TryCreate(request.TextFolder, out reason);
        var tokenized = text is null ? null : TokenizedInputs.TryCreate(model, text, out reason);
        if (tokenized is not null) return (tokenized, ValidationReport.TokenizedInputs, $"{text!.Family} tokenizer from '{request.TextFolder}'");
        return (SampleInputs.Create(model, itemName), ValidationReport.GeneratedInputs, reason);
    }

    private static void CheckInputs(ModelProto model, IReadOnlyDictionary<string, HostTensor> inputs, string itemName)
    {
        var initializers = model.Graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var declared = model.Graph.Input.Where(i => !initializers.Contains(i.Name)).ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (var (name, tensor) in inputs)
        {
            if (!declared.TryGetValue(name, out var input))
                throw Mismatch(itemName, $"input '{name}' is given but the model has no such input (it takes {string.Join(", ", declared.Keys)})");
            var type = input.Type?.TensorType;
            if (type is null) continue;
            if ((DataType)type.ElemType != tensor.ElementType)
                throw Mismatch(itemName, $"input '{name}' is {tensor.ElementType} but the model takes {(DataType)type.ElemType}");
            if (type.Shape is not null && type.Shape.Dim.Count != tensor.Shape.Length)
                throw Mismatch(itemName, $"input '{name}' has rank {tensor.Shape.Length} but the model takes rank {type.Shape.Dim.Count}");
        }
    }

    private static OnnxBuildException Mismatch(string itemName, string what) =>
        new(ErrorCodes.ValidationInputMismatch, $"'{itemName}': {what}; fix the inputs file.");
}
