using FieldTheory.Testing;

namespace FieldTheory.DeepFluctuations.Tests;

/// <summary>One-dimensional Gauss-Hermite quadrature for E[F(u)], u ~ N(0, variance).</summary>
internal static class GaussHermite
{
    private static readonly (double[] X, double[] W) Rule = HermiteNodes.Of(120);

    public static double Expect(Func<double, double> f, double variance)
    {
        double sum = 0, scale = Math.Sqrt(2 * variance);
        for (int i = 0; i < Rule.X.Length; i++)
        {
            sum += Rule.W[i] * f(scale * Rule.X[i]);
        }

        return sum / Math.Sqrt(Math.PI);
    }

    /// <summary>d E[F(u)] / d variance by a central difference of the quadrature in the variance.</summary>
    public static double VarianceDerivative(Func<double, double> f, double variance)
    {
        double step = 1e-4 * variance;
        return (Expect(f, variance + step) - Expect(f, variance - step)) / (2 * step);
    }
}
