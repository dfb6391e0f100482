using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Validation;

/// <summary>How one model output compared with its reference.</summary>
/// <param name="Name">The output name.</param>
/// <param name="Shape">The output's shape as the model produced it (null when it did not).</param>
/// <param name="ExpectedShape">The reference's shape (null without a reference).</param>
/// <param name="MaxAbsDiff">Largest absolute element difference (null without a reference or on a shape mismatch).</param>
/// <param name="FailureCode">The error code when the output failed, else null.</param>
/// <param name="Failure">Why the output failed, else null.</param>
public sealed record OutputComparison(string Name, long[]? Shape, long[]? ExpectedShape, double? MaxAbsDiff, string? FailureCode, string? Failure)
{
    /// <summary>True when the output matched its reference within tolerance (or there was no reference).</summary>
    public bool Passed => FailureCode is null;

    /// <summary>Compares an output with its reference element by element.</summary>
    public static OutputComparison Compare(string name, HostTensor? actual, HostTensor? expected, double atol)
    {
        if (actual is null)
            return new(name, null, expected?.Shape, null, ErrorCodes.OutputMissing, "the model does not produce this output");
        if (expected is null)
            return new(name, actual.Shape, null, null, null, null);
        if (!actual.Shape.SequenceEqual(expected.Shape))
            return new(name, actual.Shape, expected.Shape, null, ErrorCodes.OutputShapeMismatch,
                $"shape [{string.Join(",", actual.Shape)}] differs from the reference's [{string.Join(",", expected.Shape)}]");

        double[] a = actual.ToDoubles(), e = expected.ToDoubles();
        double max = 0;
        long nanMismatches = 0;
        long firstNaN = -1;
        for (long i = 0; i < a.LongLength; i++)
        {
            bool aNaN = double.IsNaN(a[i]), eNaN = double.IsNaN(e[i]);
            if (aNaN || eNaN)
            {
                if (aNaN != eNaN && nanMismatches++ == 0) firstNaN = i;
                continue;
            }
            double diff = a[i] == e[i] ? 0 : Math.Abs(a[i] - e[i]);
            if (diff > max || double.IsNaN(diff)) max = double.IsNaN(diff) ? double.PositiveInfinity : diff;
        }
        if (nanMismatches > 0)
            return new(name, actual.Shape, expected.Shape, max, ErrorCodes.OutputNaNMismatch,
                $"{nanMismatches} element(s) are NaN in one and a number in the other (first at flat index {firstNaN})");
        if (max > atol)
            return new(name, actual.Shape, expected.Shape, max, ErrorCodes.OutputMismatch,
                $"max abs diff {Format(max)} exceeds atol {Format(atol)}");
        return new(name, actual.Shape, expected.Shape, max, null, null);
    }

    internal static string Format(double value) => value.ToString("G3", System.Globalization.CultureInfo.InvariantCulture);
}
