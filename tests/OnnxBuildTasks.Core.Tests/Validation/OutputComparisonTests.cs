using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Validation;

namespace OnnxBuildTasks.Tests.Validation;

public class OutputComparisonTests
{
    [Fact]
    public void MaxAbsDiffAgainstAtol()
    {
        var a = HostTensor.Float([3], [1f, 2f, 3f]);
        var close = OutputComparison.Compare("y", a, HostTensor.Float([3], [1f, 2.00005f, 3f]), 1e-4);
        Assert.True(close.Passed);
        Assert.InRange(close.MaxAbsDiff!.Value, 4e-5, 6e-5);

        var far = OutputComparison.Compare("y", a, HostTensor.Float([3], [1f, 2f, 3.01f]), 1e-4);
        Assert.Equal(ErrorCodes.OutputMismatch, far.FailureCode);
        Assert.Contains("exceeds atol", far.Failure);
    }

    [Fact]
    public void NaNOnOneSideOnlyFailsAndNaNOnBothPasses()
    {
        var a = HostTensor.Float([2], [float.NaN, 1f]);
        Assert.True(OutputComparison.Compare("y", a, HostTensor.Float([2], [float.NaN, 1f]), 1e-4).Passed);
        var mismatch = OutputComparison.Compare("y", a, HostTensor.Float([2], [0f, 1f]), 1e-4);
        Assert.Equal(ErrorCodes.OutputNaNMismatch, mismatch.FailureCode);
        Assert.Contains("index 0", mismatch.Failure);
    }

    [Fact]
    public void InfinitiesCompareEqualOnlyToTheSameInfinity()
    {
        var a = HostTensor.Float([1], [float.NegativeInfinity]);
        Assert.True(OutputComparison.Compare("y", a, HostTensor.Float([1], [float.NegativeInfinity]), 1e-4).Passed);
        Assert.Equal(ErrorCodes.OutputMismatch, OutputComparison.Compare("y", a, HostTensor.Float([1], [float.PositiveInfinity]), 1e-4).FailureCode);
    }

    [Fact]
    public void ShapesMustMatch() =>
        Assert.Equal(ErrorCodes.OutputShapeMismatch,
            OutputComparison.Compare("y", HostTensor.Float([2, 1], [1f, 2f]), HostTensor.Float([1, 2], [1f, 2f]), 1).FailureCode);
}
