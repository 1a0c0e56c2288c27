using FieldTheory.Testing;

namespace FieldTheory.DeepFluctuations.Tests;

/// <summary>Gauss-Hermite quadrature for E[F(u)], u ~ N(0, variance), and, on a tensor grid through the Cholesky factor, u ~ N(0, C) in two dimensions.</summary>
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

    /// <summary>E[F(u_1, u_2)], u ~ N(0, C) with C = [[c11, c12], [c12, c22]], on a tensor grid of <paramref name="nodes"/> nodes per axis.</summary>
    public static double Expect2(Func<double, double, double> f, double c11, double c12, double c22, int nodes = 120)
    {
        (double[] x, double[] w) = nodes == Rule.X.Length ? Rule : HermiteNodes.Of(nodes);
        double l11 = Math.Sqrt(c11), l21 = c12 / l11, l22 = Math.Sqrt(Math.Max(c22 - l21 * l21, 0)), root2 = Math.Sqrt(2);
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double a = root2 * x[i];
            for (int j = 0; j < x.Length; j++)
            {
                double b = root2 * x[j];
                sum += w[i] * w[j] * f(l11 * a, l21 * a + l22 * b);
            }
        }

        return sum / Math.PI;
    }
}
