namespace OnnxBuildTasks.Tests.Export;

/// <summary>Reference math for checking graphs against their definitions (no System.Math.Erf in .NET).</summary>
internal static class ReferenceMath
{
    /// <summary>erf(x): power series below 3 (cancellation stays under 1e-12 there), the asymptotic series of erfc above.</summary>
    public static double Erf(double x)
    {
        double t = Math.Abs(x);
        if (t >= 3)
        {
            double u = 1 / (2 * t * t);
            double erfc = Math.Exp(-t * t) / (t * Math.Sqrt(Math.PI)) * (1 - u + 3 * u * u - 15 * u * u * u + 105 * u * u * u * u);
            return Math.Sign(x) * (1 - erfc);
        }
        double sum = 0, term = t;
        for (int n = 0; n < 200; n++)
        {
            sum += term / (2 * n + 1);
            term *= -t * t / (n + 1);
        }
        double r = 2 / Math.Sqrt(Math.PI) * sum;
        return x < 0 ? -r : r;
    }
}
