using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Validation;

/// <summary>Checks an initializer's data against its shape and element type, including external data files.</summary>
internal static class InitializerChecker
{
    public static IEnumerable<CheckFinding> Check(TensorProto tensor, string? modelDirectory, string where)
    {
        var name = tensor.Name;
        var type = (TensorProto.Types.DataType)tensor.DataType;
        if (tensor.DataType == 0 || !Enum.IsDefined(type))
        {
            yield return Malformed(name, $"Initializer '{name}'{where} has no or an unknown element type ({tensor.DataType}).");
            yield break;
        }
        if (tensor.Dims.Any(d => d < 0))
        {
            yield return Malformed(name, $"Initializer '{name}'{where} has a negative dimension in [{string.Join(",", tensor.Dims)}].");
            yield break;
        }
        if (ExternalData.IsExternal(tensor))
        {
            if (!tensor.RawData.IsEmpty || TensorTypedData.TotalTypedValues(tensor) > 0)
                yield return Malformed(name, $"Initializer '{name}'{where} is marked external but also holds inline data.");
            var error = ExternalError(tensor, modelDirectory);
            if (error is not null)
                yield return new CheckFinding(error.Code, error.Message, ValueName: name);
            yield break;
        }
        var size = TensorDataLayout.ByteSize(tensor);
        if (!tensor.RawData.IsEmpty)
        {
            if (TensorTypedData.TotalTypedValues(tensor) > 0)
                yield return Malformed(name, $"Initializer '{name}'{where} has both raw_data and typed data; keep one.");
            if (size is null)
                yield return Malformed(name, $"Initializer '{name}'{where} of type {type} cannot hold raw_data.");
            else if (size != tensor.RawData.Length)
                yield return Malformed(name,
                    $"Initializer '{name}'{where} has {tensor.RawData.Length} bytes of raw_data but shape [{string.Join(",", tensor.Dims)}] of {type} needs {size}; the data is truncated or the shape is wrong.");
            yield break;
        }
        var expectation = TensorTypedData.Expectation(tensor);
        if (expectation is null) yield break;
        var (field, expected) = expectation.Value;
        long count = TensorTypedData.Count(tensor, field);
        long total = TensorTypedData.TotalTypedValues(tensor);
        if (count != total)
            yield return Malformed(name, $"Initializer '{name}'{where} of type {type} holds values in a typed field other than the one for {type}.");
        else if (count != expected)
            yield return Malformed(name,
                $"Initializer '{name}'{where} has {count} values but shape [{string.Join(",", tensor.Dims)}] needs {expected}; the data is truncated or the shape is wrong.");
    }

    private static OnnxBuildException? ExternalError(TensorProto tensor, string? modelDirectory)
    {
        try
        {
            if (modelDirectory is null)
                ExternalData.GetReference(tensor);
            else
                ExternalRange.Resolve(tensor, modelDirectory);
            return null;
        }
        catch (OnnxBuildException e)
        {
            return e;
        }
    }

    private static CheckFinding Malformed(string name, string message) =>
        new(ErrorCodes.InitializerMalformed, message, ValueName: name);
}
