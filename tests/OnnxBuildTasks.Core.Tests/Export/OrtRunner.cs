using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Validation;

namespace OnnxBuildTasks.Tests.Export;

/// <summary>Runs a model in ONNX Runtime on host tensors and returns every output by name.</summary>
internal static class OrtRunner
{
    public static Dictionary<string, HostTensor> Run(ModelProto model, IReadOnlyDictionary<string, HostTensor> inputs) =>
        Run(model.ToByteArray(), inputs);

    public static Dictionary<string, HostTensor> Run(byte[] modelBytes, IReadOnlyDictionary<string, HostTensor> inputs)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(modelBytes, options);
        return Run(session, inputs);
    }

    public static Dictionary<string, HostTensor> Run(InferenceSession session, IReadOnlyDictionary<string, HostTensor> inputs)
    {
        var names = session.InputMetadata.Keys.ToArray();
        var values = names.Select(n => inputs[n].ToOrtValue()).ToArray();
        try
        {
            var outputNames = session.OutputMetadata.Keys.ToArray();
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, names, values, outputNames);
            var dict = new Dictionary<string, HostTensor>(StringComparer.Ordinal);
            for (int i = 0; i < outputNames.Length; i++)
                dict[outputNames[i]] = HostTensor.FromOrtValue(results[i]);
            return dict;
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    /// <summary>Largest absolute difference; shapes must match.</summary>
    public static double MaxAbsDiff(HostTensor actual, HostTensor expected)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var a = actual.ToDoubles();
        var e = expected.ToDoubles();
        double max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = Math.Abs(a[i] - e[i]);
            if (double.IsNaN(d)) return double.PositiveInfinity;
            max = Math.Max(max, d);
        }
        return max;
    }
}
