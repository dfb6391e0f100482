using Microsoft.ML.OnnxRuntime;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Validation;

/// <summary>Loads a model into ONNX Runtime and runs it on host tensors; ORT failures become coded errors.</summary>
internal static class OrtRunner
{
    public static IReadOnlyDictionary<string, HostTensor> Run(string modelPath, IReadOnlyDictionary<string, HostTensor> inputs, string itemName)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        InferenceSession session;
        try
        {
            OrtTelemetry.Disable();
            session = new InferenceSession(modelPath, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new OnnxBuildException(ErrorCodes.RuntimeLoadFailed,
                $"'{itemName}': ONNX Runtime cannot load '{modelPath}': {e.Message}", e);
        }
        using (session)
        {
            var names = session.InputNames.ToList();
            var missing = names.Where(n => !inputs.ContainsKey(n)).ToList();
            if (missing.Count > 0)
                throw new OnnxBuildException(ErrorCodes.ValidationInputMismatch,
                    $"'{itemName}': '{Path.GetFileName(modelPath)}' needs input(s) {string.Join(", ", missing.Select(m => "'" + m + "'"))} that the validation inputs lack.");
            var values = new List<OrtValue>();
            try
            {
                foreach (var name in names) values.Add(inputs[name].ToOrtValue());
                using var runOptions = new RunOptions();
                using var outputs = session.Run(runOptions, names, values, session.OutputNames);
                var result = new OrderedDictionary<string, HostTensor>(StringComparer.Ordinal);
                for (int i = 0; i < session.OutputNames.Count; i++)
                    result[session.OutputNames[i]] = HostTensor.FromOrtValue(outputs[i]);
                return result;
            }
            catch (OnnxRuntimeException e)
            {
                throw new OnnxBuildException(ErrorCodes.RuntimeRunFailed,
                    $"'{itemName}': ONNX Runtime failed running '{modelPath}': {e.Message}", e);
            }
            finally
            {
                foreach (var v in values) v.Dispose();
            }
        }
    }
}
